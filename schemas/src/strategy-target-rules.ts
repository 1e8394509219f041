/**
 * Which targets suit which strategies, and the settings each native target type needs. The
 * provider checks the settings at plan time (a `sym_target` cross-field rule); the API checks both
 * on every write (a strategy whose targets do not suit its type is refused with 422 at
 * `/targets/<i>`). Strategy types not listed here accept any target type.
 */
import type { strategyTypes } from './resources/strategy';
import type { targetTypes } from './resources/target';

type StrategyType = (typeof strategyTypes)[number];
type TargetType = (typeof targetTypes)[number];

/** Settings a target of each type must carry (non-empty strings). */
export const targetRequiredSettings: Partial<Record<TargetType, readonly string[]>> = {
  aws_sso_permission_set: ['permission_set_arn', 'account_id'],
  aws_sso_group: ['group_id'],
  aws_iam_group: ['iam_group'],
};

/** The target types each strategy type can grant; unlisted strategy types accept any. */
export const strategyTargetTypes: Partial<Record<StrategyType, readonly TargetType[]>> = {
  aws_sso: ['aws_sso_permission_set', 'aws_sso_group'],
  aws_iam: ['aws_iam_group'],
};

/** The integration types a strategy type can act through (its `integration_id`); unlisted: any. */
export const strategyIntegrationTypes: Partial<Record<StrategyType, readonly string[]>> = {
  aws_sso: ['permission_context', 'aws_sso'],
  aws_iam: ['permission_context', 'aws_iam'],
};

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
