// Plan-time validation: problems come back with the line (and column) the user must fix.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createSandbox } from './create-sandbox';
import { blankComments, scanExports, scanImports } from './source-problems';

describe('checkSource', () => {
  const sandbox = createSandbox({ maxWorkers: 1 });
  after(() => sandbox.close());

  it('accepts the seed routing rules', async () => {
    const source = `import { events } from 'sym/sdk';
import { slack, pagerduty } from 'sym/sdk/integrations';
export function on_request(event) { if (event.payload.fields.customer_plan === 'free') return events.approval.approve(); }
export function get_approver(event) { return slack.user(event.user); }
`;
    assert.deepEqual(await sandbox.check(source, { kind: 'flow' }), []);
  });

  it('reports a syntax error with its line and column', async () => {
    const source = `import { events } from 'sym/sdk';

export function on_request(event) {
  if (event.payload.fields.plan === 'free' {
    return events.approval.approve();
  }
}
`;
    const problems = await sandbox.check(source, { kind: 'flow' });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 4);
    assert.ok(problems[0].column > 1);
    assert.match(problems[0].message, /SyntaxError/);
  });

  it('reports every forbidden import on its own line', async () => {
    const source = `// import fs from 'not-this-one';
import { events } from 'sym/sdk';
import fs from 'fs';
const url = 'http://example.com'; // a // in a string is not a comment
import { exec } from "node:child_process";
export async function on_request() { return import('os'); }
`;
    const problems = await sandbox.check(source, { kind: 'flow' });
    assert.deepEqual(
      problems.map((p) => [p.line, p.message.match(/"([^"]+)"/)?.[1]]),
      [
        [3, 'fs'],
        [5, 'node:child_process'],
        [6, 'os'],
      ],
    );
    assert.match(problems[0].message, /allowed modules are sym\/sdk/);
  });

  it('reports unknown hook names at their export', async () => {
    const source = `import { events } from 'sym/sdk';
export function on_request() {}

export function on_requets() {}
export const helper = 1;
`;
    const problems = await sandbox.check(source, { kind: 'flow' });
    assert.deepEqual(
      problems.map((p) => [p.line, p.message.split(':')[0]]),
      [
        [4, 'unknown hook "on_requets"'],
        [5, 'unknown hook "helper"'],
      ],
    );
  });

  it('holds a flows filter to get_flows', async () => {
    const source = `export function get_flows(user, flows) { return flows; }
export function on_request() {}
`;
    const problems = await sandbox.check(source, { kind: 'flows-filter' });
    assert.deepEqual(
      problems.map((p) => [p.line, p.message]),
      [[2, 'unknown hook "on_request": a flows filter may export only get_flows']],
    );
  });

  it('requires hooks to be functions', async () => {
    const problems = await sandbox.check('export const on_request = 42;\n', { kind: 'flow' });
    assert.deepEqual(problems, [{ line: 1, column: 1, message: 'hook "on_request" must be a function' }]);
  });

  it('accepts a strategy class with escalate and deescalate', async () => {
    const source = `import { AccessStrategy } from 'sym/sdk/strategies';
export class CustomStrategy extends AccessStrategy {
  escalate(target_id, event) {}
  deescalate(target_id, event) {}
}
`;
    assert.deepEqual(await sandbox.check(source, { kind: 'strategy' }), []);
  });

  it('requires a strategy module to export an AccessStrategy subclass', async () => {
    const problems = await sandbox.check('export class CustomStrategy { escalate() {} deescalate() {} }\n', { kind: 'strategy' });
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /must export a class extending AccessStrategy/);
  });

  it('requires escalate and deescalate on the strategy', async () => {
    const source = `import { AccessStrategy } from 'sym/sdk';

export class Half extends AccessStrategy {
  escalate() {}
}
`;
    const problems = await sandbox.check(source, { kind: 'strategy' });
    assert.deepEqual(problems, [{ line: 3, column: 1, message: 'strategy class Half must implement deescalate(target_id, event)' }]);
  });

  it('reports a top-level error with its line, and gives module code no host access', async () => {
    const source = `import { get } from 'sym/http';
export function on_request() {}
const x = 1;
get('https://example.com/');
`;
    const problems = await sandbox.check(source, { kind: 'flow' });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 4);
    assert.match(problems[0].message, /host_denied: .*not available while checking/);
  });

  it('stops top-level infinite loops under the same limits', async () => {
    const problems = await sandbox.check('while (true) {}\nexport function on_request() {}\n', { kind: 'flow', limits: { cpuMs: 100 } });
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /^timeout: /);
  });
});

describe('source scanning helpers', () => {
  it('blanks comments but keeps strings and line breaks', () => {
    const text = "a // x\nb /* y\nz */ c 'http://q' `t//u`";
    const blank = blankComments(text);
    assert.equal(blank.length, text.length);
    assert.equal(blank.split('\n').length, 3);
    assert.ok(blank.includes("'http://q'") && blank.includes('`t//u`'));
    assert.ok(!blank.includes('x') && !blank.includes('y'));
  });

  it('finds imports, re-exports and exports', () => {
    assert.deepEqual(
      scanImports("import a from 'x';\nexport { b } from \"y\";\nimport 'z';").map((f) => [f.name, f.line]),
      [
        ['x', 1],
        ['y', 2],
        ['z', 3],
      ],
    );
    assert.deepEqual(
      scanExports('export async function f() {}\nexport { g as h, i };\nexport default class K {}').map((f) => f.name),
      ['f', 'K', 'h', 'i', 'default'],
    );
  });
});
