import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importBlock, importId } from './import-ids';

test('typed resources import as type:name', () => {
  assert.equal(importId({ type: 'sym_integration', values: { id: 'u', type: 'slack', name: 'main' } }), 'slack:main');
  assert.equal(importId({ type: 'sym_secrets', values: { id: 'u', type: 'env', name: 'x' } }), 'env:x');
});

test('untyped named resources import by name, secrets by path', () => {
  assert.equal(importId({ type: 'sym_environment', values: { id: 'u', name: 'prod' } }), 'prod');
  assert.equal(importId({ type: 'sym_secret', values: { id: 'u', path: 'a/b' } }), 'a/b');
});

test('resources without a natural key import by id', () => {
  assert.equal(importId({ type: 'sym_form', values: { id: 'u1' } }), 'u1');
  assert.equal(importId({ type: 'sym_log_destination', values: { id: 'u2', type: 'http' } }), 'u2');
  assert.throws(() => importId({ type: 'sym_form', values: {} }), /no id/);
});

test('importBlock quotes the id', () => {
  assert.equal(importBlock('sym_target.a', 'custom:a"b'), 'import {\n  to = sym_target.a\n  id = "custom:a\\"b"\n}\n');
});
