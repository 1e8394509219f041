import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSchemaAjv } from '../ajv';
import { entityResources, resourceByKind } from '../registry';
import type { EntityKind } from '../model';
import { entityJsonSchema } from './entity-json-schema';
import { componentSchemas, openApiDocument } from './openapi';
import { problemCodes } from '../problem-codes';

const ajv = createSchemaAjv();
const schemas = componentSchemas(entityResources());
const validators = Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, ajv.compile(s)]));
const uuid = '6f1c1a8e-3b1d-4c55-9f4e-2a9d0c7b5e11';

test('Ajv 2020 (strict) compiles every component schema', () => {
  assert.ok(Object.keys(schemas).length >= 12 * 3 + 1);
  for (const name of Object.keys(schemas)) assert.equal(typeof validators[name], 'function', name);
});

/** One valid create body per kind; each is checked as create, and as a PATCH. */
const validBodies: Record<EntityKind, Record<string, unknown>> = {
  environments: { name: 'main', runtime_id: uuid, log_destination_ids: [uuid], integrations: { slack_id: uuid } },
  integrations: { type: 'slack', name: 'main-slack', external_id: 'T01', settings: { bot_token_secret: 'b', signing_secret_secret: 's' }, label: null },
  'secret-sources': { type: 'env', name: 'process-env' },
  secrets: { path: 'API_KEY', source_id: uuid, settings: { json_key: 'k' } },
  'access-targets': { type: 'custom', name: 't', field_bindings: ['customer_id'] },
  'access-strategies': { type: 'custom', name: 's', targets: [uuid], implementation: 'export default class {}' },
  flows: {
    name: 'f',
    implementation: 'export {}',
    environment_id: uuid,
    params: { strategy_id: uuid, allowed_sources: ['api'], allow_revoke: false, prompt_field: [{ name: 'reason', type: 'string' }] },
  },
  runtimes: { name: 'r', context_id: null },
  'error-loggers': { integration_id: uuid, destination: '#errors' },
  'log-destinations': { type: 'http', settings: { url: 'https://x' } },
  'flows-filter': { implementation: 'export function get_flows(u, f) { return f; }', vars: {} },
  forms: { field: { user_id: { type: 'string', required: true } } },
};

for (const [kind, body] of Object.entries(validBodies) as [EntityKind, Record<string, unknown>][]) {
  test(`${kind}: a valid body passes create and update`, () => {
    const create = validators[`${kind}.create`];
    const update = validators[`${kind}.update`];
    assert.ok(create?.(structuredClone(body)), JSON.stringify(create?.errors));
    assert.ok(update?.(structuredClone(body)), JSON.stringify(update?.errors));
    assert.ok(update?.({}), 'empty PATCH');
  });

  test(`${kind}: bad bodies are rejected`, () => {
    const create = validators[`${kind}.create`];
    assert.equal(create?.({ ...body, not_an_attribute: 1 }), false, 'unknown property');
    assert.equal(create?.({ ...body, id: uuid }), false, 'id is not writable');
    const spec = resourceByKind(kind);
    const required = Object.entries(spec?.attributes ?? {})
      .filter(([, a]) => a.presence === 'required')
      .map(([n]) => n);
    for (const name of required) {
      const missing = { ...body };
      delete missing[name];
      assert.equal(create?.(missing), false, `missing ${name}`);
      assert.equal(validators[`${kind}.update`]?.({ [name]: null }), false, `${name} cannot be cleared`);
    }
  });
}

test('validators and provider-only attributes shape the schemas', () => {
  const create = validators['flows.create'];
  const base = validBodies.flows;
  const withParams = (p: Record<string, unknown>) => ({ ...base, params: p });
  assert.equal(create?.({ ...base, implementation_hash: 'abc' }), false, 'provider-only attribute');
  assert.equal(create?.(withParams({ allowed_sources: ['email'] })), false, 'elementOneOf');
  assert.equal(create?.(withParams({ prompt_field: [{ name: 'x', type: 'text' }] })), false, 'oneOf');
  assert.equal(create?.(withParams({ prompt_field: [{ name: 'x' }] })), false, 'nested required');
  assert.equal(create?.(withParams({ allow_revoke: false, schedule_deescalation: false })), false, 'revoke_or_schedule');
  assert.ok(create?.(withParams({ allow_revoke: false, schedule_deescalation: null })), 'null means default true');
  assert.ok(create?.(withParams({ allow_revoke: true, schedule_deescalation: false })));
  assert.ok(create?.({ ...base, params: null }), 'single block may be null');
  assert.equal(validators['integrations.create']?.({ ...validBodies.integrations, type: 'fax' }), false, 'type enum');
  assert.equal(validators['integrations.create']?.({ ...validBodies.integrations, name: '' }), false, 'minLength');
  assert.equal(validators['forms.create']?.({ field: { f: { type: 'blob' } } }), false, 'map block value');
  assert.equal(validators['forms.create']?.({ field: [] }), false, 'map block is an object');
});

test('defaults are filled in by Ajv with useDefaults on create, and not at the top level of PATCH', () => {
  const filling = createSchemaAjv({ useDefaults: true });
  const body = structuredClone(validBodies.flows);
  assert.ok(filling.compile(entityJsonSchema(resourceByKind('flows')!, 'create'))(body));
  const p = body.params as Record<string, unknown>;
  assert.equal(p.schedule_deescalation, true);
  assert.equal(p.include_decision_message, false);
  assert.equal((p.prompt_field as Record<string, unknown>[])[0]?.required, true);
  const form = { field: { a: { type: 'string' } } };
  assert.ok(filling.compile(entityJsonSchema(resourceByKind('forms')!, 'update'))(form));
  assert.equal(form.field.a && (form.field.a as Record<string, unknown>).required, false, 'nested defaults apply in PATCH');
  const nulls = { ...validBodies.flows, params: { allow_revoke: null, prompt_field: [{ name: 'x', type: 'bool', visible: null }] } };
  assert.ok(createSchemaAjv({ useDefaults: 'empty' }).compile(entityJsonSchema(resourceByKind('flows')!, 'create'))(nulls));
  assert.equal(nulls.params.allow_revoke, true, "'empty' replaces null with the default");
  assert.equal(nulls.params.prompt_field[0]?.visible, true);
});

test('entity schemas describe responses', () => {
  const entity = validators['runtimes.entity'];
  const now = new Date().toISOString();
  assert.ok(entity?.({ id: uuid, name: 'r', label: null, context_id: null, created_at: now, updated_at: now, extra: 1 }), JSON.stringify(entity?.errors));
  assert.equal(entity?.({ id: uuid, name: 'r', created_at: now, updated_at: now }), false, 'every attribute is present');
  const flowEntity = schemas['flows.entity'] as { properties: Record<string, unknown> };
  assert.ok(!('implementation_hash' in flowEntity.properties));
});

test('the OpenAPI document covers every kind and its references resolve', () => {
  const doc = openApiDocument(entityResources(), '0.0.0') as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, unknown>; responses: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  };
  assert.equal(doc.openapi, '3.1.0');
  assert.deepEqual(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', description: 'An API token of the organization.' });
  for (const p of ['/healthz', '/api/v1/whoami', '/api/v1/openapi.json']) assert.ok(doc.paths[p]?.get, p);
  for (const spec of entityResources()) {
    const collection = doc.paths[`/api/v1/entities/${spec.kind}`];
    const item = doc.paths[`/api/v1/entities/${spec.kind}/{id}`];
    assert.ok(collection?.get && collection.post, spec.kind);
    assert.ok(item?.get && item.patch && item.delete, spec.kind);
  }
  const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
  for (const ref of refs) {
    const [, section, name] = /#\/components\/(schemas|responses)\/(.+)"$/.exec(ref) ?? [];
    assert.ok(section && name && (doc.components[section as 'schemas' | 'responses'] as Record<string, unknown>)[name], ref);
  }
});

test('every OpenAPI link names an existing operation and fills its {id} from the created body', () => {
  const doc = openApiDocument(entityResources(), '0.0.0') as {
    paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, { links?: Record<string, { operationId: string; parameters: Record<string, string> }> }> }>>;
  };
  const operations = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths)) for (const op of Object.values(item)) if (op.operationId) operations.set(op.operationId, path);
  let links = 0;
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      for (const link of Object.values(op.responses?.['201']?.links ?? {})) {
        links++;
        assert.ok(operations.get(link.operationId)?.includes('{id}'), link.operationId);
        assert.deepEqual(link.parameters, { id: '$response.body#/id' });
      }
    }
  }
  assert.ok(links >= entityResources().length * 3, `${links} links`);
});

test('Problem.code enumerates exactly the problem codes the control plane sends', () => {
  const problem = (schemas.Problem as { properties: { code: { enum: string[] } } }).properties.code;
  assert.deepEqual(problem.enum, [...problemCodes]);
});
