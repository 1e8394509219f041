import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSchemaAjv } from '../ajv';
import { entityResources } from '../registry';
import { openApiDocument } from './openapi';
import { botTokenCreateJsonSchema, userCreateJsonSchema, userTokenCreateJsonSchema, userUpdateJsonSchema } from './openapi-people';

test('the OpenAPI document has the users, tokens and audit operations', () => {
  const doc = openApiDocument(entityResources(), '0.0.0') as { paths: Record<string, Record<string, { operationId?: string }>> };
  const operations = (path: string) =>
    Object.keys(doc.paths[path] ?? {})
      .filter((k) => k !== 'parameters')
      .sort();
  assert.deepEqual(operations('/api/v1/users'), ['get', 'post']);
  assert.deepEqual(operations('/api/v1/users/{id}'), ['delete', 'get', 'patch']);
  assert.deepEqual(operations('/api/v1/users/{id}/tokens'), ['post']);
  assert.deepEqual(operations('/api/v1/tokens'), ['get', 'post']);
  assert.deepEqual(operations('/api/v1/tokens/{id}'), ['delete']);
  assert.deepEqual(operations('/api/v1/audit'), ['get']);
});

test('the user and token body schemas accept good bodies and refuse bad ones', () => {
  const ajv = createSchemaAjv({ useDefaults: true });
  const create = ajv.compile(userCreateJsonSchema);
  const body = { email: 'a@example.com', identities: { slack: 'U1', pagerduty: 'PABC' } };
  assert.ok(create(body), JSON.stringify(create.errors));
  assert.equal((body as { role?: string }).role, 'member', 'role defaults to member');
  for (const bad of [
    {},
    { email: 'nope' },
    { email: 'a@example.com', role: 'owner' },
    { email: 'a@example.com', identities: { Slack: 'U1' } },
    { email: 'a@example.com', identities: { slack: '' } },
    { email: 'a@example.com', x: 1 },
  ]) {
    assert.equal(create(bad), false, JSON.stringify(bad));
  }
  const update = ajv.compile(userUpdateJsonSchema);
  assert.ok(update({}) && update({ identities: null }) && update({ role: 'guest' }));
  assert.equal(update({ role: null }), false);
  const userToken = ajv.compile(userTokenCreateJsonSchema);
  assert.ok(userToken({}) && userToken({ name: 'laptop' }));
  assert.equal(userToken({ role: 'admin' }), false, "a user token takes the user's role");
  const bot = ajv.compile(botTokenCreateJsonSchema);
  assert.ok(bot({ name: 'ci', role: 'member' }));
  assert.equal(bot({ name: 'ci' }), false);
});
