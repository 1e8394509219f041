/**
 * The one table of which targets and integrations suit which strategies (aws_sso, aws_iam and the
 * SaaS strategies the control plane runs natively). The API checks it on every write of a strategy
 * (422 at `/targets/<i>` or `/integration_id`, PATCH on the merged result), the provider at plan
 * time for the references it can read (both through `strategyReferenceProblems`); the native
 * runners take their target types from it. Strategy types not listed here (custom, aws_lambda)
 * accept any target; custom accepts any integration, aws_lambda only a permission_context (the
 * role that invokes, as in Sym). Type-specific target settings are `map_keys_when` rules on `sym_target`.
 */
import type { strategyTypes } from './resources/strategy';
import type { targetTypes } from './resources/target';

type StrategyType = (typeof strategyTypes)[number];
type TargetType = (typeof targetTypes)[number];

/** The target types each strategy type can grant; unlisted strategy types accept any. */
export const strategyTargetTypes: Partial<Record<StrategyType, readonly TargetType[]>> = {
  aws_sso: ['aws_sso_permission_set', 'aws_sso_group'],
  aws_iam: ['aws_iam_group'],
  okta: ['okta_group'],
  github: ['github_repo', 'github_team'],
  google: ['google_group'],
  google_group: ['google_group'],
  onelogin: ['onelogin_role'],
  tailscale: ['tailscale_group'],
  aptible: ['aptible_role'],
};

/** The integration types a strategy type can act through (its `integration_id`); unlisted: any. */
export const strategyIntegrationTypes: Partial<Record<StrategyType, readonly string[]>> = {
  aws_sso: ['permission_context', 'aws_sso'],
  aws_iam: ['permission_context', 'aws_iam'],
  aws_lambda: ['permission_context'],
  okta: ['okta'],
  github: ['github'],
  google: ['google'],
  google_group: ['google'],
  onelogin: ['onelogin'],
  tailscale: ['tailscale'],
  aptible: ['aptible'],
};

/**
 * Strategy types that cannot act without an integration: it holds their vendor credentials. AWS
 * strategies without one use the runtime role or the default credential chain.
 */
export const strategyIntegrationRequired: readonly StrategyType[] = ['okta', 'github', 'google', 'google_group', 'onelogin', 'tailscale', 'aptible'];

/** Why a target of `targetType` cannot be used by a `strategyType` strategy, or undefined when it can. */
export function unsuitableTarget(strategyType: string, targetType: string): string | undefined {
  const allowed = (strategyTargetTypes as Record<string, readonly string[] | undefined>)[strategyType];
  if (!allowed || allowed.includes(targetType)) return undefined;
  return `${strategyType} strategies grant ${allowed.join(' or ')} targets, not ${targetType}`;
}

/** Why an integration of `integrationType` cannot serve a `strategyType` strategy, or undefined when it can. */
export function unsuitableIntegration(strategyType: string, integrationType: string): string | undefined {
  const allowed = (strategyIntegrationTypes as Record<string, readonly string[] | undefined>)[strategyType];
  if (!allowed || allowed.includes(integrationType)) return undefined;
  return `${strategyType} strategies act through a ${allowed.join(' or ')} integration, not ${integrationType}`;
}

/** Why a `strategyType` strategy cannot go without an integration, or undefined when it can. */
export function missingIntegration(strategyType: string): string | undefined {
  if (!(strategyIntegrationRequired as readonly string[]).includes(strategyType)) return undefined;
  const allowed = (strategyIntegrationTypes as Record<string, readonly string[] | undefined>)[strategyType] ?? [];
  return `is required: ${strategyType} strategies act through a ${allowed.join(' or ')} integration (its credentials)`;
}

/** An entity a strategy refers to, as far as the suitability rules need it. */
export interface ReferencedEntity {
  id: string;
  name?: unknown;
  type: unknown;
}

/** One unsuitable reference: a JSON pointer into the strategy (`/targets/<i>`, `/integration_id`) and why. */
export interface StrategyReferenceProblem {
  pointer: string;
  detail: string;
}

/**
 * The strategy's references the rules refuse, worded once for the API's 422 and the provider's
 * plan-time diagnostics. `targets[i]` undefined: not known or not found (the reference check
 * reports a missing one); `integration` undefined with `integrationSet`: the same for the
 * integration; `integrationSet` false: no integration_id at all.
 */
export function strategyReferenceProblems(
  strategyType: string,
  refs: { targets: readonly (ReferencedEntity | undefined)[]; integrationSet: boolean; integration?: ReferencedEntity },
): StrategyReferenceProblem[] {
  const problems: StrategyReferenceProblem[] = [];
  for (const [i, target] of refs.targets.entries()) {
    const why = target && unsuitableTarget(strategyType, String(target.type));
    if (why) problems.push({ pointer: `/targets/${i}`, detail: `target ${displayName(target)} does not suit this strategy: ${why}` });
  }
  const { integration } = refs;
  if (!refs.integrationSet) {
    const why = missingIntegration(strategyType);
    if (why) problems.push({ pointer: '/integration_id', detail: why });
  } else if (integration) {
    const why = unsuitableIntegration(strategyType, String(integration.type));
    if (why) problems.push({ pointer: '/integration_id', detail: `integration ${displayName(integration)} does not suit this strategy: ${why}` });
  }
  return problems;
}

function displayName(e: ReferencedEntity): string {
  return typeof e.name === 'string' ? e.name : e.id;
}
