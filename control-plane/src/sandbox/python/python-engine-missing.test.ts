// Without the engine's file, Python implementations are refused (check) and fail as sandbox
// errors (run) with a message saying what to install; nothing throws past the sandbox.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSandbox } from '../create-sandbox';
import { SandboxError } from '../sandbox-error';
import { PYTHON_WASM_SETTING } from './python-module';

describe('the Python engine missing', () => {
  it('check reports it at line 1 and run throws a SandboxError', async () => {
    const saved = process.env[PYTHON_WASM_SETTING];
    process.env[PYTHON_WASM_SETTING] = '/nonexistent/python-3.12.0.wasm';
    const sandbox = createSandbox();
    try {
      const problems = await sandbox.check('def on_request(event):\n    pass\n', { kind: 'flow' });
      assert.equal(problems.length, 1);
      assert.match(problems[0].message, /the Python engine is not installed \(no \/nonexistent\/python-3\.12\.0\.wasm\); run scripts\/install-python-wasm\.sh/);
      const error = await sandbox.run({ source: 'def on_request(event):\n    pass\n', call: { kind: 'hook', name: 'on_request', event: { user: {}, payload: { fields: {} } } } }).then(
        () => assert.fail('expected a failure'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof SandboxError);
      assert.equal(error.code, 'killed');
    } finally {
      await sandbox.close();
      if (saved === undefined) delete process.env[PYTHON_WASM_SETTING];
      else process.env[PYTHON_WASM_SETTING] = saved;
    }
  });
});
