import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration } from './duration';
import { durationCapSeconds, formFieldSpecs, promptFieldSpecs, validateFields, type FieldSpec } from './request-fields';

const spec = (type: FieldSpec['type'], extra: Partial<FieldSpec> = {}): FieldSpec => ({ name: 'f', type, required: true, ...extra });

describe('request fields', () => {
  const cases: { spec: FieldSpec; input: unknown; value?: unknown; error?: RegExp }[] = [
    { spec: spec('string'), input: 'x', value: 'x' },
    { spec: spec('string'), input: 3, error: /must be a string/ },
    { spec: spec('string', { allowedValues: ['a', 'b'] }), input: 'c', error: /must be one of "a", "b"/ },
    { spec: spec('str_list'), input: ['a', 'b'], value: ['a', 'b'] },
    { spec: spec('str_list', { allowedValues: ['a'] }), input: ['a', 'b'], error: /must be one of/ },
    { spec: spec('str_list'), input: 'a', error: /must be a list/ },
    { spec: spec('int'), input: '42', value: 42 },
    { spec: spec('int'), input: 1.5, error: /integer/ },
    { spec: spec('int_list'), input: [1, '2'], value: [1, 2] },
    { spec: spec('int_list'), input: [1, 'x'], error: /item 1 must be an integer/ },
    { spec: spec('bool'), input: 'false', value: false },
    { spec: spec('bool'), input: 'yes', error: /true or false/ },
    { spec: spec('duration'), input: '90m', value: 5400 },
    { spec: spec('duration'), input: 120, value: 120 },
    { spec: spec('duration'), input: '-1h', error: /positive duration/ },
    { spec: spec('duration', { allowedValues: ['1h', '1d'] }), input: '60m', value: 3600 },
    { spec: spec('duration', { allowedValues: ['1h'] }), input: '2h', error: /must be one of/ },
    { spec: spec('slack_user'), input: 'U0123ABC', value: 'U0123ABC' },
    { spec: spec('slack_user'), input: 'someone', error: /email address or a Slack user ID/ },
    { spec: spec('slack_user_list'), input: ['a@example.com', 'W12345'], value: ['a@example.com', 'W12345'] },
    { spec: spec('string', { default: 'dflt' }), input: undefined, value: 'dflt' },
    { spec: spec('bool', { default: 'true' }), input: '', value: true },
    { spec: spec('int', { default: 'many' }), input: undefined, error: /the default "many" must be an integer/ },
    { spec: spec('string'), input: undefined, error: /f is required/ },
    { spec: spec('string', { required: false }), input: undefined },
  ];
  for (const c of cases) {
    it(`${c.spec.type} ${JSON.stringify(c.input)}${c.spec.allowedValues ? ` in ${c.spec.allowedValues.join('|')}` : ''}${c.spec.default ? ` default ${c.spec.default}` : ''}`, () => {
      const { fields, errors } = validateFields([c.spec], c.input === undefined ? {} : { f: c.input });
      if (c.error) {
        assert.equal(errors.length, 1, JSON.stringify(fields));
        assert.equal(errors[0]!.pointer, '/flow_inputs/f');
        assert.match(errors[0]!.detail, c.error);
      } else {
        assert.deepEqual(errors, []);
        assert.deepEqual(fields.f, c.value);
      }
    });
  }

  it('refuses unknown keys but leaves `extra` keys to the caller', () => {
    const { errors } = validateFields([], { target: 'db', nope: 1 }, ['target']);
    assert.deepEqual(errors, [{ pointer: '/flow_inputs/nope', detail: 'nope is not a field of this flow' }]);
  });

  it('reads prompt_field blocks and form fields (form fields optional unless marked)', () => {
    assert.deepEqual(promptFieldSpecs({ prompt_field: [{ name: 'a', type: 'int', required: null, allowed_values: ['1'] }] }), [
      { name: 'a', type: 'int', required: true, default: null, allowedValues: ['1'], label: null },
    ]);
    assert.deepEqual(formFieldSpecs({ field: { b: { type: 'bool' }, c: { type: 'string', required: true, label: 'C' } } }), [
      { name: 'b', type: 'bool', required: false, default: null, allowedValues: null, label: null },
      { name: 'c', type: 'string', required: true, default: null, allowedValues: null, label: 'C' },
    ]);
  });

  it('caps durations at the largest allowed value', () => {
    assert.equal(durationCapSeconds([spec('duration', { name: 'duration', allowedValues: ['30m', '1d', '2h'] })]), 86_400);
    assert.equal(durationCapSeconds([spec('duration', { name: 'duration' })]), undefined);
    assert.deepEqual(['1w', '15', '15s', ' 2 h ', '0', '1y', ''].map(parseDuration), [604_800, 15, 15, 7200, undefined, undefined, undefined]);
  });
});
