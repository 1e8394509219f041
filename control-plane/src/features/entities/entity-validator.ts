import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { entityJsonSchema, type CrossFieldRule, type ResourceSpec } from '@opensym/schemas';
import { ApiError, jsonPointer, type FieldError } from '../../errors/api-error';
import type { CheckSourceOptions, SourceProblem } from '../../sandbox';
import type { EntityData } from './entity-shape';

// ajv-formats is CommonJS; under ESM its default export may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** Validates request bodies of one kind against the generated JSON Schemas. */
export interface EntityValidator {
  /** A POST body (or a merged PATCH result): required attributes present; fills defaults in place. */
  create(spec: ResourceSpec, body: unknown): EntityData;
  /** A PATCH body: any subset of attributes, `null` clearing optional ones. */
  update(spec: ResourceSpec, body: unknown): EntityData;
  /**
   * A whole entity (after create validation or PATCH merging): sandboxed code (flow hooks, the
   * flows filter, a custom strategy) is checked the way the sandbox will load it, so a module
   * that could never run is refused with a 422 at its attribute instead of failing a request later.
   */
  implementation(spec: ResourceSpec, data: EntityData): Promise<void>;
}

/** The sandbox's plan-time check (`sandbox.check` of the sandbox `compose.ts` builds). */
export type CheckSource = (source: string, options: CheckSourceOptions) => Promise<SourceProblem[]>;

/** Compiles the create/update schemas of every spec once; throws 422 problems with JSON pointers. */
export function createEntityValidator(specs: readonly ResourceSpec[], { checkSource }: { checkSource: CheckSource }): EntityValidator {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true, useDefaults: true });
  addFormats(ajv);
  const compiled = new Map<string, { create: ValidateFunction; update: ValidateFunction; createSchema: object; updateSchema: object }>();
  for (const spec of specs) {
    const createSchema = entityJsonSchema(spec, 'create');
    const updateSchema = entityJsonSchema(spec, 'update');
    compiled.set(spec.kind, { create: ajv.compile(createSchema), update: ajv.compile(updateSchema), createSchema, updateSchema });
  }
  const run = (spec: ResourceSpec, mode: 'create' | 'update', body: unknown): EntityData => {
    const entry = compiled.get(spec.kind);
    if (!entry) throw new Error(`no schema compiled for ${spec.kind}`);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError('validation_failed', 'The request body must be a JSON object.', [{ pointer: '', detail: 'must be an object' }]);
    }
    // PostgreSQL text and jsonb cannot hold U+0000; refuse it here rather than fail in the database.
    const nul = nulPointers(body, '');
    if (nul.length > 0) {
      const errors = nul.map((pointer) => ({ pointer, detail: 'must not contain the NUL character (U+0000)' }));
      throw new ApiError('validation_failed', summary(errors), errors);
    }
    const validate = entry[mode];
    if (validate(body)) return body as EntityData;
    const errors = fieldErrors(validate.errors ?? [], mode === 'create' ? entry.createSchema : entry.updateSchema, spec);
    throw new ApiError('validation_failed', summary(errors), errors);
  };
  const implementation = async (spec: ResourceSpec, data: EntityData): Promise<void> => {
    const errors: FieldError[] = [];
    for (const [name, attr] of Object.entries(spec.attributes)) {
      const source = data[name];
      const kind = attr.sourceOrPath?.module;
      if (!kind || typeof source !== 'string') continue;
      const problems = await checkSource(source, { kind });
      if (problems.length > 0) errors.push({ pointer: `/${escape(name)}`, detail: problems.map((p) => `line ${p.line}: ${p.message}`).join('; ') });
    }
    if (errors.length > 0) throw new ApiError('validation_failed', summary(errors), errors);
  };
  return { create: (spec, body) => run(spec, 'create', body), update: (spec, body) => run(spec, 'update', body), implementation };
}

function nulPointers(value: unknown, pointer: string): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [pointer] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const at = `${pointer}/${escape(k)}`;
    return k.includes('\u0000') ? [at] : nulPointers(v, at);
  });
}

function summary(errors: FieldError[]): string {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return first ? `${first.pointer || 'body'}: ${first.detail}${more}` : 'The request body is invalid.';
}

/** Follows an Ajv `schemaPath` (`#/properties/a/allOf/0/not`) to the schema object it names. */
function schemaAt(root: object, schemaPath: string): unknown {
  let node: unknown = root;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    const step = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Record<string, unknown> | undefined)?.[step];
  }
  return node;
}

/** Ajv errors → one error per field with a readable detail; cross-field rules explained by their message. */
function fieldErrors(errors: ErrorObject[], schema: object, spec: ResourceSpec): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  const suppressed: string[] = [];
  const push = (pointer: string, detail: string) => {
    if (seen.has(pointer)) return;
    seen.add(pointer);
    out.push({ pointer, detail });
  };
  // Rule errors first: their branch errors (e.g. inside oneOf) would only confuse.
  for (const e of errors) {
    if (e.keyword !== 'not' && e.keyword !== 'oneOf' && e.keyword !== 'if') continue;
    const parentPath = e.schemaPath.replace(/\/(not|oneOf|if)$/, '');
    const parent = schemaAt(schema, parentPath) as { $comment?: string } | undefined;
    const ruleId = parent?.$comment?.split(':')[0];
    const rule = spec.crossFieldRules?.find((r) => r.id === ruleId);
    if (!rule) continue;
    // A failed `if`/`then` also reports what failed inside `then`: the rule's message says it better.
    suppressed.push(e.schemaPath);
    if (e.keyword === 'if') suppressed.push(`${parentPath}/then/`);
    push(rulePointer(rule, e.instancePath), rule.message);
  }
  for (const e of errors) {
    if (suppressed.some((p) => e.schemaPath.startsWith(p))) continue;
    const pointer = e.instancePath;
    switch (e.keyword) {
      case 'required':
        push(`${pointer}/${escape(String(e.params.missingProperty))}`, 'is required');
        break;
      case 'additionalProperties':
        push(`${pointer}/${escape(String(e.params.additionalProperty))}`, 'is not a known attribute');
        break;
      case 'enum': {
        const allowed = (e.params.allowedValues as unknown[]).filter((v) => v !== null).map((v) => JSON.stringify(v));
        push(pointer, `must be one of ${allowed.join(', ')}`);
        break;
      }
      case 'type': {
        const types = String(e.params.type)
          .split(',')
          .filter((t) => t !== 'null');
        push(pointer, `must be ${types.map((t) => (t === 'object' ? 'an object' : t === 'array' ? 'a list' : t === 'boolean' ? 'a bool' : `a ${t}`)).join(' or ')}`);
        break;
      }
      default:
        push(pointer, e.message ?? 'is invalid');
    }
  }
  return out;
}

function escape(step: string): string {
  return jsonPointer([step]).slice(1);
}

/** The pointer a cross-field rule reports at: its path below its scope, under the failing object. */
function rulePointer(rule: CrossFieldRule, instancePath: string): string {
  const below = rule.path.slice((rule.scope ?? []).length).filter((s) => typeof s === 'string');
  return instancePath + jsonPointer(below);
}
