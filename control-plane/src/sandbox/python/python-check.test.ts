// Plan-time checks of Python implementations in the control plane (the 422 when they are stored):
// Python's own parser in the sandbox's interpreter, so syntax errors get their real line; the
// user's code is parsed, never run.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CUSTOM_STRATEGY_PY, ROUTING_RULES_IMPL_PY } from '../../test-support/python-seeds';
import { createSandbox } from '../create-sandbox';

describe('sandbox.check of Python', () => {
  const sandbox = createSandbox();
  after(() => sandbox.close());
  const problems = async (source: string, kind: 'flow' | 'strategy' | 'flows-filter' = 'flow', filename?: string) =>
    (await sandbox.check(source, { kind, ...(filename && { filename }) })).map((p) => [p.line, p.message.split(';')[0]]);

  it("passes the seeds' impl.py and custom_strategy.py", async () => {
    assert.deepEqual(await problems(ROUTING_RULES_IMPL_PY), []);
    assert.deepEqual(await problems(CUSTOM_STRATEGY_PY, 'strategy', 'custom_strategy.py'), []);
  });

  it('reports a syntax error with its line and column', async () => {
    const found = await sandbox.check('from sym.sdk import events\n\ndef on_request(event)\n    return None\n', { kind: 'flow' });
    assert.equal(found.length, 1);
    assert.equal(found[0].line, 3);
    assert.match(found[0].message, /^SyntaxError: expected ':'/);
  });

  it('reports forbidden imports, relative imports and removed builtins, nested ones too, without running anything', async () => {
    const source = `import json
import os
from sym._sdk import call_host

def on_request(event):
    import socket
    from . import x
    while True:
        pass
    return open("/etc/passwd")
`;
    assert.deepEqual(await problems(source), [
      [2, 'module "os" is not available in the sandbox'],
      [3, 'module "sym._sdk" is not available in the sandbox'],
      [6, 'module "socket" is not available in the sandbox'],
      [7, 'module "." is not available in the sandbox'],
      [10, 'open() is not available in the sandbox'],
    ]);
  });

  it('reports @hook/@reducer functions whose names are not hooks; undecorated helpers are fine', async () => {
    const source = `from sym.sdk.annotations import hook, reducer

def helper():
    return 1

@reducer
def get_approverz(event):
    return helper()

@hook
def on_request(event):
    return None
`;
    const found = await problems(source);
    assert.equal(found.length, 1);
    assert.equal(found[0][0], 7);
    assert.match(String(found[0][1]), /^unknown hook "get_approverz": a flow implementation may define only on_request/);
    const filter = await problems('from sym.sdk.annotations import hook\n@hook\ndef on_request(event):\n    pass\n', 'flows-filter');
    assert.match(String(filter[0][1]), /^unknown hook "on_request": a flows filter may define only get_flows/);
  });

  it('holds a strategy module to an AccessStrategy subclass with escalate and deescalate', async () => {
    assert.deepEqual(await problems('import requests\n', 'strategy'), [[1, 'a strategy implementation must define a class extending AccessStrategy (from sym.sdk.strategies import AccessStrategy)']]);
    const half = 'from sym.sdk.strategies import AccessStrategy\n\nclass S(AccessStrategy):\n    def escalate(self, target_id, event):\n        pass\n';
    assert.deepEqual(await problems(half, 'strategy'), [[3, 'strategy class S must implement deescalate(self, target_id, event)']]);
  });

  it('a .js file name keeps JavaScript rules even for Python-looking code', async () => {
    const found = await sandbox.check(ROUTING_RULES_IMPL_PY, { kind: 'flow', filename: 'impl.js' });
    assert.ok(found.length > 0);
    assert.match(found[0].message, /SyntaxError|syntax/i);
  });
});
