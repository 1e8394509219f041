import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAttributeError, parseErrors } from './diagnostics';

const output = `
╷
│ Warning: Something minor
│
│ Details.
╵
╷
│ Error: Duplicate name
│
│   with sym_environment.second,
│   on main.tf line 16, in resource "sym_environment" "second":
│   16:   name = "duplicate"
│
│ An environment named "duplicate" already exists.
╵
`;

test('parseErrors reads summary, resource and location and skips warnings', () => {
  const [error, ...rest] = parseErrors(output);
  assert.equal(rest.length, 0);
  assert.equal(error!.summary, 'Duplicate name');
  assert.equal(error!.resource, 'sym_environment.second');
  assert.equal(error!.file, 'main.tf');
  assert.equal(error!.line, 16);
});

test('assertAttributeError checks count, line and attribute', () => {
  assertAttributeError(output, { file: 'main.tf', lines: [12, 16], attribute: 'name' });
  assert.throws(() => assertAttributeError(output, { file: 'main.tf', lines: [12], attribute: 'name' }), /line 12/);
  assert.throws(() => assertAttributeError(`${output}\nError: another\n`, { file: 'main.tf', lines: [16], attribute: 'name' }), /exactly one/);
});
