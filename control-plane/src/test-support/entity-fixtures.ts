import type { EntityKind } from '@opensym/schemas';

/** A custom strategy the sandbox accepts: an AccessStrategy subclass with escalate and deescalate. */
export const STRATEGY_SOURCE = `import { AccessStrategy } from 'sym/sdk/strategies';
export default class extends AccessStrategy { escalate() {} deescalate() {} }
`;

/** Creates an entity through the API and returns its id (fails the test on any other status). */
export type CreateEntity = (kind: EntityKind, body: Record<string, unknown>) => Promise<string>;

/** Settings a `slack` integration must name (placeholder secret ids: entity tests never read them). */
export const SLACK_SETTINGS = { bot_token_secret: 'unused-bot-token', signing_secret_secret: 'unused-signing-secret' };

/**
 * A valid create body for every kind, creating what it refers to first. `n` makes names unique
 * so one database can hold several sets.
 */
export async function validBodies(create: CreateEntity, n: string): Promise<Record<EntityKind, Record<string, unknown>>> {
  const integration = await create('integrations', {
    type: 'slack',
    name: `slack-${n}`,
    external_id: 'T123',
    settings: SLACK_SETTINGS,
  });
  // An aws_lambda strategy acts through a permission_context (the role that invokes), as in Sym.
  const context = await create('integrations', { type: 'permission_context', name: `ctx-${n}`, external_id: '123456789012', settings: { role_arn: 'arn:aws:iam::123456789012:role/invoker' } });
  const runtime = await create('runtimes', { name: `runtime-${n}` });
  const source = await create('secret-sources', { type: 'env', name: `env-${n}` });
  const target = await create('access-targets', { type: 'custom', name: `target-${n}` });
  const strategy = await create('access-strategies', { type: 'custom', name: `strategy-${n}`, targets: [target], implementation: STRATEGY_SOURCE });
  const environment = await create('environments', { name: `env-${n}`, runtime_id: runtime, integrations: { slack_id: integration } });
  const form = await create('forms', { field: { user_id: { type: 'string', required: true } } });
  return {
    environments: { name: `prod-${n}`, label: 'Production', runtime_id: runtime, log_destination_ids: [], integrations: { slack_id: integration } },
    integrations: { type: 'pagerduty', name: `pd-${n}`, external_id: 'PD1', settings: { api_token_secret: 'x' } },
    'secret-sources': { type: 'aws_secrets_manager', name: `sm-${n}`, settings: { region: 'us-east-1' } },
    secrets: { path: `API_KEY_${n}`, source_id: source, label: 'API key' },
    'access-targets': { type: 'aws_lambda_function', name: `fn-${n}`, settings: { arn: 'arn:aws:lambda:::function:x' }, field_bindings: ['reason'] },
    'access-strategies': { type: 'aws_lambda', name: `lambda-${n}`, targets: [target], integration_id: context, settings: { arn: 'arn' } },
    flows: {
      name: `flow-${n}`,
      implementation: 'export function on_request() {}',
      environment_id: environment,
      vars: { a: 'b' },
      params: { strategy_id: strategy, form_id: form, prompt_field: [{ name: 'reason', type: 'string' }] },
    },
    runtimes: { name: `rt-${n}`, context_id: integration },
    'error-loggers': { integration_id: integration, destination: '#errors' },
    'log-destinations': { type: 'http', settings: { url: 'http://example.test' } },
    'flows-filter': { implementation: 'export function get_flows(user, flows) { return flows; }', vars: {}, integrations: { slack: integration } },
    forms: { field: { reason: { type: 'string', label: 'Reason' } } },
  };
}
