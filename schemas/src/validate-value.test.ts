import assert from 'node:assert/strict';
import { test } from 'node:test';
import { providerSpec } from './provider';
import { resourceByType } from './registry';
import { unknownMarker, validateAgainstSpec } from './validate-value';
import type { ValueProblem } from './validate-value';

const U = unknownMarker;
const spec = (t: string) => {
  const s = resourceByType(t);
  if (!s) throw new Error(t);
  return s;
};
const flowBase = { id: null, name: 'f', label: null, implementation: 'export {}', implementation_hash: null, environment_id: 'e', vars: null, params: null };
const params = {
  strategy_id: null,
  form_id: null,
  allow_revoke: null,
  schedule_deescalation: null,
  include_decision_message: null,
  allowed_sources: null,
  additional_header_text: null,
  allow_guest_interaction: null,
  prompt_field: [],
};
const field = { name: 'reason', type: 'string', label: null, required: null, default: null, visible: null, allowed_values: null, prefetch: null, on_change: null };
const lambda = { id: 'l1', label: null, code: 'x', arn: null };

const cases: { name: string; type: string; value: unknown; expected: ValueProblem[] }[] = [
  { name: 'minimal flow', type: 'sym_flow', value: flowBase, expected: [] },
  { name: 'null value', type: 'sym_flow', value: null, expected: [] },
  { name: 'wholly unknown value', type: 'sym_flow', value: U, expected: [] },
  {
    name: 'required missing',
    type: 'sym_flow',
    value: { ...flowBase, name: null, environment_id: undefined },
    expected: [
      { path: ['name'], message: 'The attribute "name" is required.' },
      { path: ['environment_id'], message: 'The attribute "environment_id" is required.' },
    ],
  },
  { name: 'unknown required value is fine', type: 'sym_flow', value: { ...flowBase, environment_id: U }, expected: [] },
  { name: 'empty name', type: 'sym_flow', value: { ...flowBase, name: '' }, expected: [{ path: ['name'], message: 'Must not be empty.' }] },
  { name: 'wrong primitive type', type: 'sym_flow', value: { ...flowBase, name: 3 }, expected: [{ path: ['name'], message: 'Must be a string.' }] },
  {
    name: 'oneOf',
    type: 'sym_integration',
    value: { id: null, type: 'fax', name: 'n', external_id: 'x', label: null, settings: null },
    expected: [{ path: ['type'], message: /Must be one of "aptible", .*; got "fax"\./ as unknown as string }],
  },
  { name: 'unknown oneOf value', type: 'sym_integration', value: { id: null, type: U, name: 'n', external_id: 'x', label: null, settings: null }, expected: [] },
  {
    name: 'elementOneOf in a single block, with unknown elements skipped',
    type: 'sym_flow',
    value: { ...flowBase, params: { ...params, allowed_sources: ['slack', U, 'email'] } },
    expected: [{ path: ['params', 'allowed_sources', 2], message: 'Must be one of "slack", "api"; got "email".' }],
  },
  {
    name: 'pattern and oneOf in a list block',
    type: 'sym_flow',
    value: { ...flowBase, params: { ...params, prompt_field: [field, { ...field, name: '1bad', type: 'text' }] } },
    expected: [
      { path: ['params', 'prompt_field', 1, 'name'], message: 'Must match the pattern ^[A-Za-z_][A-Za-z0-9_]*$; got "1bad".' },
      { path: ['params', 'prompt_field', 1, 'type'], message: /Must be one of/ as unknown as string },
    ],
  },
  {
    name: 'revoke_or_schedule: both false',
    type: 'sym_flow',
    value: { ...flowBase, params: { ...params, allow_revoke: false, schedule_deescalation: false } },
    expected: [{ path: ['params', 'allow_revoke'], message: /At least one of allow_revoke and schedule_deescalation/ as unknown as string }],
  },
  {
    name: 'revoke_or_schedule: one false, other defaulted',
    type: 'sym_flow',
    value: { ...flowBase, params: { ...params, allow_revoke: false } },
    expected: [],
  },
  {
    name: 'revoke_or_schedule: unknown skips the rule',
    type: 'sym_flow',
    value: { ...flowBase, params: { ...params, allow_revoke: false, schedule_deescalation: U } },
    expected: [],
  },
  {
    name: 'map block with bad type',
    type: 'sym_form',
    value: { id: null, field: { user_id: { type: 'string', required: true, label: null, allowed_values: null }, x: { type: 'blob', required: null, label: null, allowed_values: null } } },
    expected: [{ path: ['field', { key: 'x' }, 'type'], message: /Must be one of/ as unknown as string }],
  },
  {
    name: 'map block missing required',
    type: 'sym_form',
    value: { id: null, field: { x: { type: null, required: null, label: null, allowed_values: null } } },
    expected: [{ path: ['field', { key: 'x' }, 'type'], message: 'The attribute "type" is required.' }],
  },
  {
    name: 'lambda strategies: minItems',
    type: 'sym_strategies',
    value: { id: null, strategy_ids: null, lambda_strategy: [] },
    expected: [{ path: ['lambda_strategy'], message: 'At least 1 "lambda_strategy" block is required.' }],
  },
  {
    name: 'lambda strategies: exactly one of code/arn',
    type: 'sym_strategies',
    value: {
      id: null,
      strategy_ids: U,
      lambda_strategy: [lambda, { ...lambda, id: 'both', arn: 'arn:aws:lambda:us-east-1:123456789012:function:f' }, { ...lambda, id: 'none', code: null }, { ...lambda, id: 'u', code: U }],
    },
    expected: [
      { path: ['lambda_strategy', 1, 'code'], message: /exactly one of code/ as unknown as string },
      { path: ['lambda_strategy', 2, 'code'], message: /exactly one of code/ as unknown as string },
    ],
  },
  {
    name: 'map attribute value type',
    type: 'sym_environment',
    value: { id: null, name: 'e', label: null, runtime_id: null, error_logger_id: null, log_destination_ids: ['a', 1], integrations: { slack_id: true } },
    expected: [
      { path: ['log_destination_ids', 1], message: 'Must be a string.' },
      { path: ['integrations', { key: 'slack_id' }], message: 'Must be a string.' },
    ],
  },
  {
    name: 'computed attributes are never checked',
    type: 'sym_flow',
    value: { ...flowBase, id: 42, implementation_hash: false },
    expected: [],
  },
];

for (const c of cases) {
  test(`validateAgainstSpec: ${c.name}`, () => {
    const actual = validateAgainstSpec(spec(c.type), c.value);
    assert.equal(actual.length, c.expected.length, JSON.stringify(actual));
    c.expected.forEach((e, i) => {
      assert.deepEqual(actual[i]?.path, e.path);
      if ((e.message as unknown) instanceof RegExp) assert.match(actual[i]?.message ?? '', e.message as unknown as RegExp);
      else assert.equal(actual[i]?.message, e.message);
    });
  });
}

test('validateAgainstSpec works on the provider configuration', () => {
  assert.deepEqual(validateAgainstSpec(providerSpec, { api_url: 'http://x', org: null, token: U, jwt_env_var: null }), []);
  assert.deepEqual(
    validateAgainstSpec(providerSpec, { api_url: 'ftp://x', org: null, token: null, jwt_env_var: 'BAD NAME' }).map((p) => p.path),
    [['api_url'], ['jwt_env_var']],
  );
});
