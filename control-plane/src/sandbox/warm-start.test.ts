// Warm modules (DECISIONS.md §5): reuse only within one scope and source, never after a failure
// or a secret, and limits still apply to every invocation.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createSandbox } from './create-sandbox';
import type { SandboxIntegration, SymEvent } from './sandbox-call';
import { SandboxError } from './sandbox-error';

const event: SymEvent = { user: { id: 'u1', email: 'alice@example.com' }, payload: { fields: { mode: 'count' } } };
const withMode = (mode: string): SymEvent => ({ ...event, payload: { fields: { mode } } });

// Module state counts the invocations the module has served.
const COUNTER = `let calls = 0;
export function on_request(event) {
  calls++;
  if (event.payload.fields.mode === 'throw') throw new Error('asked to fail');
  if (event.payload.fields.mode === 'spin') for (;;) {}
  if (event.payload.fields.mode === 'grow') { const kept = []; for (;;) kept.push('x'.repeat(1 << 16) + kept.length); }
  return calls;
}
`;

describe('warm modules', () => {
  // One worker, so every invocation meets the same warm modules.
  const sandbox = createSandbox({ maxWorkers: 1, limits: { cpuMs: 300, memoryBytes: 8 * 1024 * 1024 } });
  after(() => sandbox.close());
  const call = (scope: string | undefined, mode = 'count', source = COUNTER) =>
    sandbox.run({ source, call: { kind: 'hook', name: 'on_request', event: withMode(mode) }, ...(scope && { reuseScope: scope }) });

  it('reuses the evaluated module for the same scope and source', async () => {
    assert.equal((await call('org-a:flow-1')).value, 1);
    assert.equal((await call('org-a:flow-1')).value, 2);
    assert.equal((await call('org-a:flow-1')).value, 3);
  });

  it('never shares a module across scopes, sources, or without a scope', async () => {
    assert.equal((await call('org-b:flow-1')).value, 1, 'another org gets its own module');
    assert.equal((await call('org-a:flow-1', 'count', `${COUNTER}\n// edited\n`)).value, 1, 'an edited source starts fresh');
    assert.equal((await call(undefined)).value, 1);
    assert.equal((await call(undefined)).value, 1, 'no scope: a fresh runtime every time');
  });

  it('starts fresh after an invocation that threw', async () => {
    const scope = 'org-c:flow-1';
    assert.equal((await call(scope)).value, 1);
    const error = await call(scope, 'throw').then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SandboxError && error.code === 'runtime', String(error));
    assert.equal((await call(scope)).value, 1);
  });

  it('applies the CPU limit to each warm invocation and starts fresh afterwards', async () => {
    const scope = 'org-d:flow-1';
    assert.equal((await call(scope)).value, 1);
    assert.equal((await call(scope)).value, 2);
    const error = await call(scope, 'spin').then(
      () => assert.fail('expected a timeout'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SandboxError && (error.code === 'timeout' || error.code === 'killed'), String(error));
    assert.equal((await call(scope)).value, 1);
  });

  it('applies the memory limit to each warm invocation', async () => {
    const scope = 'org-e:flow-1';
    assert.equal((await call(scope)).value, 1);
    const error = await call(scope, 'grow').then(
      () => assert.fail('expected out of memory'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SandboxError && (error.code === 'memory' || error.code === 'killed'), String(error));
    assert.equal((await call(scope)).value, 1);
  });

  it('does not keep a module that read a secret', async () => {
    const source = `import { AccessStrategy } from 'sym/sdk/strategies';
let calls = 0;
export class Counting extends AccessStrategy {
  escalate(target_id, event) {
    calls++;
    if (event.payload.fields.mode === 'secret') this.integration.settings.secrets[0].retrieve_value();
    return calls;
  }
}
`;
    const integration: SandboxIntegration = { id: 'i1', settings: {}, secrets: [{ id: 's1' }] };
    const host = { retrieveSecret: () => 'a-secret-value' };
    const escalate = (mode: string) =>
      sandbox.run({ source, reuseScope: 'org-f:strategy-1', host, call: { kind: 'strategy', method: 'escalate', targetId: 't1', event: withMode(mode), integration } });
    assert.equal((await escalate('count')).value, 1);
    assert.equal((await escalate('count')).value, 2);
    assert.equal((await escalate('secret')).value, 3);
    assert.equal((await escalate('count')).value, 1, 'the module that held the secret was discarded');
  });

  it('never lets what warm modules hold starve a later invocation of memory', async () => {
    // Each module keeps ~6 MB alive in module state: under the 8 MB limit per invocation, but
    // eight of them would not fit in the worker's WASM memory cap (24 MB + 2 x 8 MB) together.
    const HOLDER = `const kept = [];
export function on_request(event) {
  for (let i = 0; i < 6; i++) kept.push(String(i).repeat(1 << 20));
  return kept.length;
}
`;
    for (let i = 0; i < 8; i++) {
      const result = await sandbox.run({ source: HOLDER, reuseScope: `org-g:flow-${i}`, call: { kind: 'hook', name: 'on_request', event } });
      assert.equal(result.value, 6, `module ${i}`);
    }
  });
});
