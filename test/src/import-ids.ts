/** Import IDs and API kinds per resource type, as documented in shared/docs/resources.md. */
import type { EntityKind } from './api-client';
import type { StateResource } from './plan-changes';

/** Resource types whose names are unique per type: imported as `type:name`. */
const typedResources = new Set(['sym_integration', 'sym_strategy', 'sym_target', 'sym_secrets', 'sym_log_destination']);

/** Resource types imported by `name`. */
const namedResources = new Set(['sym_environment', 'sym_flow', 'sym_runtime']);

/** The API kind each resource type is stored as. */
export const resourceKinds: Record<string, EntityKind> = {
  sym_environment: 'environments',
  sym_integration: 'integrations',
  sym_secrets: 'secret-sources',
  sym_secret: 'secrets',
  sym_target: 'access-targets',
  sym_strategy: 'access-strategies',
  sym_flow: 'flows',
  sym_runtime: 'runtimes',
  sym_error_logger: 'error-loggers',
  sym_log_destination: 'log-destinations',
  sym_flows_filter: 'flows-filter',
  sym_form: 'forms',
  sym_strategies: 'access-strategies',
};

/**
 * The natural import ID of a resource in state: `type:name` for typed resources, `name` for
 * untyped ones, `path` for a secret, and the id for everything without a natural key (forms,
 * strategy sets, error loggers, the flows filter, and log destinations, which have no name).
 */
export function importId(resource: Pick<StateResource, 'type' | 'values'>): string {
  const { type, values } = resource;
  const str = (key: string): string | undefined => (typeof values[key] === 'string' && values[key] !== '' ? (values[key] as string) : undefined);
  const name = str('name');
  if (typedResources.has(type) && name !== undefined && str('type') !== undefined) return `${str('type')}:${name}`;
  if (namedResources.has(type) && name !== undefined) return name;
  if (type === 'sym_secret' && str('path') !== undefined) return str('path')!;
  const id = str('id');
  if (id === undefined) throw new Error(`${type} has no id in state`);
  return id;
}

/** An `import {}` block for one resource. */
export function importBlock(address: string, id: string): string {
  return `import {\n  to = ${address}\n  id = ${JSON.stringify(id)}\n}\n`;
}
