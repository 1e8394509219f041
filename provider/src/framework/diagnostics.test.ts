import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../protocol/values';
import { DiagnosticsError, NestedFailure, errorDiagnostic, errorToDiagnostics, pointerToPath } from './diagnostics';
import { fixtureFlowSpec, fixtureFormSpec } from './fixture-specs';

describe('pointerToPath', () => {
  const cases: [string, unknown[]][] = [
    ['/name', ['name']],
    ['/params/prompt_field/0/type', ['params', 'prompt_field', 0, 'type']],
    ['/params/allowed_sources/1', ['params', 'allowed_sources', 1]],
    ['/vars/channel', ['vars', { key: 'channel' }]],
    ['/params/prompt_field/x/type', ['params', 'prompt_field']],
    ['/nope/1', []],
    ['', []],
  ];
  for (const [pointer, path] of cases) {
    it(`${pointer || '(empty)'} → ${JSON.stringify(path)}`, () => assert.deepEqual(pointerToPath(fixtureFlowSpec, pointer), path));
  }
  it('map block labels become keys', () => {
    assert.deepEqual(pointerToPath(fixtureFormSpec, '/field/user~1id/type'), ['field', { key: 'user/id' }, 'type']);
  });
});

describe('errorToDiagnostics', () => {
  it('DiagnosticsError as is; an unexpected error: clear text, no stack', () => {
    const own = [errorDiagnostic('Cannot import', 'no such thing')];
    assert.deepEqual(errorToDiagnostics(new DiagnosticsError(own), undefined, 'import'), own);
    const [b] = errorToDiagnostics(new TypeError('boom'), undefined, 'plan');
    assert.equal(b.summary, 'Unexpected provider error');
    assert.doesNotMatch(b.detail!, /at .*\.ts/);
  });
  it("the provider's errors go through its hook; a nested failure is re-homed by its place", () => {
    class Backend extends Error {}
    const hook = (e: unknown, _spec: unknown, action: string): Diagnostic[] | undefined => (e instanceof Backend ? [errorDiagnostic('Backend said no', `Could not ${action}`, ['name'])] : undefined);
    assert.equal(errorToDiagnostics(new Backend(), undefined, 'create x', hook)[0].summary, 'Backend said no');
    const nested = new NestedFailure(new Backend(), 'create member 1', (d) => ['member', 1, ...(d.path ?? [])]);
    assert.deepEqual(errorToDiagnostics(nested, undefined, 'create x', hook), [{ severity: 'error', summary: 'Backend said no', detail: 'Could not create member 1', path: ['member', 1, 'name'] }]);
  });
});

describe('framework logging', () => {
  // In a child process: the shared logger reads TF_LOG_PROVIDER / TF_LOG once, at start.
  const unexpectedErrorLog = (env: NodeJS.ProcessEnv): string => {
    const diagnostics = fileURLToPath(new URL('./diagnostics.ts', import.meta.url));
    const code = `const { errorToDiagnostics } = await import(${JSON.stringify(diagnostics)}); errorToDiagnostics(new Error('boom'), undefined, 'plan');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...process.env, TF_LOG: '', TF_LOG_PROVIDER: '', ...env }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '', 'stdout belongs to the handshake');
    return r.stderr;
  };

  it('goes through the one logger: silent with TF_LOG_PROVIDER=OFF, an hclog error line otherwise', () => {
    assert.equal(unexpectedErrorLog({ TF_LOG_PROVIDER: 'OFF', TF_LOG: 'TRACE' }), '');
    const line = JSON.parse(unexpectedErrorLog({ TF_LOG: 'ERROR' }));
    assert.equal(line['@level'], 'error');
    assert.equal(line['@message'], 'unexpected error while trying to plan');
    assert.match(line['@timestamp'], /\.\d{6}Z$/);
  });
});
