import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkImplementation, describeProblems } from './implementation-check';

const at = (source: string, kind: Parameters<typeof checkImplementation>[1] = 'flow') => checkImplementation(source, kind).map((p) => [p.line, p.message]);

describe('checkImplementation', () => {
  it('accepts hooks that import the SDK', () => {
    const source = `import { events } from "sym/sdk";
import { slack, pagerduty } from "sym/sdk/integrations";
import * as requests from "sym/http";
export function on_request(event) { if (event.payload.fields.plan === "free") return events.approval.approve(); }
export async function get_approvers(event) { return slack.channel("#x"); }
export const get_permissions = (event) => ({ allow_self: true });
`;
    assert.deepEqual(checkImplementation(source, 'flow'), []);
  });

  it('reports a syntax error at its line without the parser position suffix', () => {
    const problems = checkImplementation('import { slack } from "sym/sdk";\n\nexport function get_approvers(event) {\n  return slack.channel("#a");\n', 'flow');
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 5);
    assert.match(problems[0].message, /^SyntaxError: Unexpected token$/);
  });

  it('reports each import outside the SDK, re-exports included, and any import()', () => {
    const source = `// import fs from "fs" in a comment is fine
import { events } from "sym/sdk";
import fs from "fs";
export { readFile } from "node:fs";
export async function on_request() { const os = await import("sym/sdk"); }
`;
    assert.deepEqual(
      checkImplementation(source, 'flow').map((p) => [p.line, p.message.split(';')[0]]),
      [
        [3, 'module "fs" is not available in the sandbox'],
        [4, 'module "node:fs" is not available in the sandbox'],
        [
          4,
          'unknown hook "readFile": a flow implementation may export only on_request, after_request, on_approve, after_approve, on_deny, after_deny, on_escalate, after_escalate, on_deescalate, after_deescalate, get_approvers, get_approver, get_permissions, get_request_notifications, get_identity',
        ],
        [5, 'import() is not available in the sandbox'],
      ],
    );
  });

  it('reports exports that are not hook names, in every export form', () => {
    const source = `export function on_requets() {}
const helper = 1;
export { helper, helper as on_approve };
export const { a, b: [c] } = {};
export default function () {}
export * from "sym/sdk";
export * as ns from "sym/sdk";
`;
    assert.deepEqual(
      at(source).map(([line, message]) => [line, String(message).split(':')[0]]),
      [
        [1, 'unknown hook "on_requets"'],
        [3, 'unknown hook "helper"'],
        [4, 'unknown hook "a"'],
        [4, 'unknown hook "c"'],
        [5, 'unknown hook "default"'],
        [6, 'export * from "sym/sdk" re-exports names that are not hooks; export each hook by name'],
        [7, 'unknown hook "ns"'],
      ],
    );
  });

  it('holds a flows filter to get_flows and lets a strategy export any class', () => {
    assert.deepEqual(at('export function get_flows(user, flows) { return flows; }\nexport function on_request() {}\n', 'flows-filter'), [
      [2, 'unknown hook "on_request": a flows filter may export only get_flows'],
    ]);
    const strategy = `import { AccessStrategy } from "sym/sdk/strategies";
export class CustomStrategy extends AccessStrategy { escalate() {} deescalate() {} }
export const helper = 1;
`;
    assert.deepEqual(checkImplementation(strategy, 'strategy'), []);
    assert.deepEqual(
      at('import { x } from "./local.js";\n', 'strategy').map(([l]) => l),
      [1],
    );
  });

  it('accepts current syntax: top-level await, optional chaining, class fields', () => {
    const source = `import { slack } from "sym/sdk";
const channel = await Promise.resolve("#a");
export function get_approvers(event) { return slack.channel(event?.flow?.vars?.channel ?? channel); }
class Cache { #items = new Map(); static size = 0; }
`;
    assert.deepEqual(checkImplementation(source, 'flow'), []);
  });

  it('describes problems one line each', () => {
    assert.equal(
      describeProblems([
        { line: 2, column: 1, message: 'a' },
        { line: 7, column: 3, message: 'b' },
      ]),
      'line 2: a\nline 7: b',
    );
  });
});
