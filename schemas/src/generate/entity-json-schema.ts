/**
 * JSON Schemas (draft 2020-12) of the entity API bodies, derived from a resource spec. The
 * control plane compiles them with Ajv 2020 (`allowUnionTypes`, formats from ajv-formats; see
 * `createSchemaAjv`) to validate requests; the OpenAPI generator embeds them as components.
 */
import type { AttributeSpec, BlockSpec, CrossFieldRule, JsonValue, ResourceSpec, ValueType } from '../model';
import { sortedEntries } from './wire-schema';

/** A JSON Schema object (kept loose on purpose: it is data, not a type we reason about). */
export type JsonSchema = { [key: string]: JsonValue | JsonSchema | JsonSchema[] | undefined };

/**
 * Which body the schema describes: `create` (POST), `update` (PATCH: every attribute optional,
 * `null` clears an optional one) or `entity` (a response, with `id` and timestamps).
 */
export type EntitySchemaMode = 'create' | 'update' | 'entity';

/** True if the attribute travels over the API in this mode (computed ones only in responses). */
export function isApiAttribute(attr: AttributeSpec, mode: EntitySchemaMode): boolean {
  if (attr.providerOnly) return false;
  if (attr.presence === 'computed') return mode === 'entity';
  return true;
}

/** `$comment` of a value schema whose `not` lists values that are not supported yet. */
export const NOT_SUPPORTED_YET = 'not_supported_yet';

/** The JSON Schema of a resource's API body in the given mode. */
export function entityJsonSchema(spec: ResourceSpec, mode: EntitySchemaMode): JsonSchema {
  const schema = objectSchema(spec.attributes, spec.blocks ?? {}, mode, true, scopedRules(spec.crossFieldRules, []), spec.crossFieldRules);
  schema.title = `${spec.typeName} (${mode})`;
  schema.description = spec.description;
  if (mode === 'entity') {
    const properties = schema.properties as JsonSchema;
    schema.properties = {
      id: { type: 'string', format: 'uuid', description: 'Identifier assigned by the control plane.' },
      ...properties,
      created_at: { type: 'string', format: 'date-time' },
      updated_at: { type: 'string', format: 'date-time' },
    };
    schema.required = ['id', ...((schema.required as string[]) ?? []).filter((n) => n !== 'id'), 'created_at', 'updated_at'];
  }
  return schema;
}

function objectSchema(
  attributes: Record<string, AttributeSpec>,
  blocks: Record<string, BlockSpec>,
  mode: EntitySchemaMode,
  topLevel: boolean,
  rules: CrossFieldRule[],
  allRules: CrossFieldRule[] | undefined,
  scope: string[] = [],
): JsonSchema {
  const properties: JsonSchema = {};
  const required: string[] = [];
  for (const [name, attr] of sortedEntries(attributes)) {
    if (!isApiAttribute(attr, mode)) continue;
    properties[name] = attributeSchema(attr, mode, topLevel);
    if (isRequired(attr.presence === 'required', mode, topLevel)) required.push(name);
  }
  for (const [name, block] of sortedEntries(blocks)) {
    const inner = objectSchema(block.attributes, block.blocks ?? {}, mode, false, scopedRules(allRules, [...scope, name]), allRules, [...scope, name]);
    properties[name] = blockSchema(block, inner, mode, topLevel);
    if (isRequired((block.minItems ?? 0) > 0, mode, topLevel)) required.push(name);
  }
  const schema: JsonSchema = { type: 'object', properties };
  if (required.length > 0) schema.required = required;
  // Responses may grow fields that old clients ignore; requests must not carry unknown ones.
  if (mode !== 'entity') schema.additionalProperties = false;
  const ruleSchemas = rules.flatMap((r) => ruleSchema(r, attributes, mode));
  if (ruleSchemas.length === 1) Object.assign(schema, ruleSchemas[0]);
  else if (ruleSchemas.length > 1) schema.allOf = ruleSchemas;
  return schema;
}

/** Responses list every attribute; PATCH needs none; POST needs the required ones. */
function isRequired(userRequired: boolean, mode: EntitySchemaMode, topLevel: boolean): boolean {
  if (mode === 'entity') return true;
  if (mode === 'update' && topLevel) return false;
  return userRequired;
}

function attributeSchema(attr: AttributeSpec, mode: EntitySchemaMode, topLevel: boolean): JsonSchema {
  const schema = valueSchema(attr.type, attr);
  schema.description = attr.description;
  // A PATCH leaves absent top-level attributes alone, so a default there would overwrite them;
  // inside a block the whole block is replaced, so defaults apply as on create.
  if (attr.default !== undefined && !(mode === 'update' && topLevel)) schema.default = attr.default;
  if (attr.presence !== 'required') makeNullable(schema);
  return schema;
}

function valueSchema(type: ValueType, attr: AttributeSpec): JsonSchema {
  if (type === 'string') {
    const s: JsonSchema = { type: 'string' };
    if (attr.oneOf) s.enum = [...attr.oneOf];
    // Documented (Sym accepts them) but refused until they work; the validator explains why.
    if (attr.notSupportedYet?.length) {
      s.not = { enum: [...attr.notSupportedYet] };
      s.$comment = NOT_SUPPORTED_YET;
    }
    if (attr.pattern) s.pattern = attr.pattern;
    if (attr.minLength !== undefined) s.minLength = attr.minLength;
    return s;
  }
  if (type === 'number') return { type: 'number' };
  if (type === 'bool') return { type: 'boolean' };
  const element = elementSchema('list' in type ? type.list : 'set' in type ? type.set : type.map, attr);
  if ('map' in type) return { type: 'object', additionalProperties: element };
  const s: JsonSchema = { type: 'array', items: element };
  if ('set' in type) s.uniqueItems = true;
  if (attr.minItems !== undefined) s.minItems = attr.minItems;
  return s;
}

function elementSchema(type: ValueType, attr: AttributeSpec): JsonSchema {
  const s = valueSchema(type, { type, presence: 'required', description: '' });
  if (attr.elementOneOf) s.enum = [...attr.elementOneOf];
  return s;
}

function blockSchema(block: BlockSpec, inner: JsonSchema, mode: EntitySchemaMode, topLevel: boolean): JsonSchema {
  const description = block.description;
  let schema: JsonSchema;
  if (block.nesting === 'single') {
    schema = { ...inner, description };
  } else if (block.nesting === 'list') {
    schema = { type: 'array', description, items: inner };
    if (block.minItems) schema.minItems = block.minItems;
    if (block.maxItems) schema.maxItems = block.maxItems;
  } else {
    schema = { type: 'object', description, additionalProperties: inner };
    if (block.minItems) schema.minProperties = block.minItems;
    if (block.maxItems) schema.maxProperties = block.maxItems;
  }
  // An absent block is null (single) or may be cleared with null (PATCH), unless it is mandatory.
  if (block.nesting === 'single' || !block.minItems || (mode === 'update' && !topLevel)) makeNullable(schema);
  return schema;
}

function makeNullable(schema: JsonSchema): void {
  const type = schema.type;
  if (typeof type === 'string') schema.type = [type, 'null'];
  const values = schema.enum as JsonValue[] | undefined;
  if (Array.isArray(values) && !values.includes(null)) schema.enum = [...values, null];
}

/** The cross-field rules whose scope is exactly this block path. */
function scopedRules(rules: CrossFieldRule[] | undefined, scope: string[]): CrossFieldRule[] {
  return (rules ?? []).filter((r) => (r.scope ?? []).join('.') === scope.join('.') && r.check);
}

function ruleSchema(rule: CrossFieldRule, attributes: Record<string, AttributeSpec>, mode: EntitySchemaMode): JsonSchema[] {
  const check = rule.check;
  if (!check) return [];
  if (check.kind === 'map_keys_when') {
    // A PATCH body alone cannot be judged (the merged result is, as a create body); responses are not checked.
    if (mode !== 'create') return [];
    const properties: JsonSchema = {};
    for (const key of check.keys) properties[key] = { type: 'string', minLength: 1, ...(check.patterns?.[key] && { pattern: check.patterns[key] }) };
    // Keys with listed values: one of them (optional ones may also be left unset).
    for (const [key, values] of Object.entries(check.values ?? {})) properties[key] = { enum: [...values, ...(check.keys.includes(key) ? [] : [null])] };
    return [
      {
        if: { type: 'object', required: [check.attribute], properties: { [check.attribute]: { const: check.equals } } },
        then: { required: [check.map], properties: { [check.map]: { type: 'object', required: [...check.keys], properties } } },
        $comment: `${rule.id}: ${rule.message}`,
      },
    ];
  }
  if (check.kind === 'unset_when') {
    // Like map_keys_when: judged on a create body and the merged result of a PATCH.
    if (mode !== 'create') return [];
    return [
      {
        if: { type: 'object', required: [check.attribute], properties: { [check.attribute]: { enum: [...check.in] } } },
        then: { properties: { [check.unset]: { enum: [null, ''] } } },
        $comment: `${rule.id}: ${rule.message}`,
      },
    ];
  }
  if (check.kind === 'at_least_one_true') {
    // Null or absent counts as the default, so an attribute defaulting to true is false only when
    // given as false, and one defaulting to false is false unless given as true.
    const properties: JsonSchema = {};
    const required: string[] = [];
    for (const a of check.attributes) {
      if (attributes[a]?.default === true) {
        required.push(a);
        properties[a] = { const: false };
      } else {
        properties[a] = { enum: [false, null] };
      }
    }
    return [{ not: { type: 'object', required, properties }, $comment: `${rule.id}: ${rule.message}` }];
  }
  return [
    {
      oneOf: check.attributes.map((a) => ({ type: 'object', required: [a], properties: { [a]: { not: { type: 'null' } } } })),
      $comment: `${rule.id}: ${rule.message}`,
    },
  ];
}
