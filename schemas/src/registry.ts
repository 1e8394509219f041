/** The list of resources and lookups over it. */
import type { AttributeSpec, DataSourceSpec, EntityKind, ResourceSpec } from './model';
import { environmentResource } from './resources/environment';
import { errorLoggerResource } from './resources/error-logger';
import { flowResource } from './resources/flow';
import { flowsFilterResource } from './resources/flows-filter';
import { formResource } from './resources/form';
import { integrationResource } from './resources/integration';
import { logDestinationResource } from './resources/log-destination';
import { runtimeResource } from './resources/runtime';
import { secretResource } from './resources/secret';
import { secretsResource } from './resources/secrets';
import { strategiesResource } from './resources/strategies';
import { strategyResource } from './resources/strategy';
import { targetResource } from './resources/target';

/** Every `sym_*` resource, in a stable order (generated files follow it). */
export const resources: ResourceSpec[] = [
  environmentResource,
  integrationResource,
  secretsResource,
  secretResource,
  targetResource,
  strategyResource,
  flowResource,
  runtimeResource,
  errorLoggerResource,
  logDestinationResource,
  flowsFilterResource,
  formResource,
  strategiesResource,
];

/** The resource with this Terraform type name, or undefined. */
export function resourceByType(typeName: string): ResourceSpec | undefined {
  return resources.find((r) => r.typeName === typeName);
}

/** The non-composite resource stored as this API kind (e.g. `access-strategies` → `sym_strategy`). */
export function resourceByKind(kind: EntityKind): ResourceSpec | undefined {
  return resources.find((r) => r.kind === kind && !r.composite);
}

/** Every API entity kind, each with its non-composite resource. */
export function entityResources(): ResourceSpec[] {
  return resources.filter((r) => !r.composite);
}

/**
 * The attributes of a data source as Terraform sees them: lookup attributes required, every
 * other attribute of the resource (and `id`) computed. Nested blocks are not exposed, and
 * provider-only attributes are left out because a lookup has no source file to hash.
 */
export function dataSourceAttributes(ds: DataSourceSpec): Record<string, AttributeSpec> {
  const resource = resourceByType(ds.resource);
  if (!resource) throw new Error(`data source ${ds.typeName}: unknown resource ${ds.resource}`);
  const out: Record<string, AttributeSpec> = {};
  for (const [name, attr] of Object.entries(resource.attributes)) {
    if (attr.providerOnly) continue;
    if (ds.lookup.includes(name)) {
      // A lookup key is plain input: no replacement, no state carry-over, no default.
      const { requiresReplace: _replace, useStateForUnknown: _keep, default: _default, ...rest } = attr;
      out[name] = { ...rest, presence: 'required' };
    } else {
      out[name] = {
        type: attr.type,
        presence: 'computed',
        description: attr.description,
        ...(attr.sensitive ? { sensitive: true } : {}),
        ...(attr.references ? { references: attr.references } : {}),
      };
    }
  }
  return out;
}
