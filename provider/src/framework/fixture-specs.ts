/** Small resource specs shaped like the real ones, for tests that must not depend on the schema package's data. */
import type { ResourceSpec } from '@opensym/schemas';

const id = { type: 'string', presence: 'computed', description: 'id', useStateForUnknown: true } as const;

/** A flow-like spec: source-or-path implementation, a single block holding a list block with defaults. */
export const fixtureFlowSpec: ResourceSpec = {
  typeName: 'sym_flow',
  kind: 'flows',
  description: 'flow',
  version: 0,
  identity: { by: 'name' },
  attributes: {
    id,
    name: { type: 'string', presence: 'required', description: 'name' },
    label: { type: 'string', presence: 'optional', description: 'label' },
    implementation: { type: 'string', presence: 'required', description: 'impl', sourceOrPath: { hashAttribute: 'implementation_hash' } },
    implementation_hash: { type: 'string', presence: 'computed', description: 'hash', providerOnly: true },
    environment_id: { type: 'string', presence: 'required', description: 'env', references: 'environments' },
    vars: { type: { map: 'string' }, presence: 'optional', description: 'vars' },
  },
  blocks: {
    params: {
      nesting: 'single',
      description: 'params',
      attributes: {
        strategy_id: { type: 'string', presence: 'optional', description: 's', references: 'access-strategies' },
        allow_revoke: { type: 'bool', presence: 'optional_computed', default: true, description: 'r' },
        allowed_sources: { type: { list: 'string' }, presence: 'optional', description: 'src' },
      },
      blocks: {
        prompt_field: {
          nesting: 'list',
          description: 'field',
          attributes: {
            name: { type: 'string', presence: 'required', description: 'n' },
            type: { type: 'string', presence: 'required', description: 't' },
            required: { type: 'bool', presence: 'optional_computed', default: true, description: 'r' },
            allowed_values: { type: { list: 'string' }, presence: 'optional', description: 'a' },
          },
        },
      },
    },
  },
  example: '',
  importExamples: [],
};

/** A typed spec: `type` forces replacement; imports by `type:name`. */
export const fixtureTypedSpec: ResourceSpec = {
  typeName: 'sym_integration',
  kind: 'integrations',
  description: 'integration',
  version: 0,
  identity: { by: 'type_name' },
  attributes: {
    id,
    type: { type: 'string', presence: 'required', description: 't', requiresReplace: true },
    name: { type: 'string', presence: 'required', description: 'n' },
    settings: { type: { map: 'string' }, presence: 'optional', description: 's' },
  },
  example: '',
  importExamples: [],
};

/** A form-like spec: a map block whose elements get defaults. */
export const fixtureFormSpec: ResourceSpec = {
  typeName: 'sym_form',
  kind: 'forms',
  description: 'form',
  version: 0,
  identity: { by: 'id' },
  attributes: { id },
  blocks: {
    field: {
      nesting: 'map',
      description: 'field',
      attributes: {
        type: { type: 'string', presence: 'required', description: 't' },
        required: { type: 'bool', presence: 'optional_computed', default: false, description: 'r' },
      },
    },
  },
  example: '',
  importExamples: [],
};

/** The sym_strategies composite, as the schema package describes it. */
export const fixtureStrategiesSpec: ResourceSpec = {
  typeName: 'sym_strategies',
  kind: 'access-strategies',
  composite: 'lambda_strategy_set',
  description: 'set',
  version: 0,
  identity: { by: 'id' },
  attributes: { id, strategy_ids: { type: { map: 'string' }, presence: 'computed', description: 'ids' } },
  blocks: {
    lambda_strategy: {
      nesting: 'list',
      description: 'one',
      attributes: {
        id: { type: 'string', presence: 'required', description: 'id' },
        label: { type: 'string', presence: 'optional', description: 'l' },
        code: { type: 'string', presence: 'optional', description: 'c' },
        arn: { type: 'string', presence: 'optional', description: 'a' },
      },
    },
  },
  example: '',
  importExamples: [],
};
