// No QuickJS handle outlives its module: every kind of invocation, error and limit stop is run
// through `runGuestJob` on the debug build of QuickJS, which prints every object, string or atom
// still referenced when a runtime is freed (and aborts on leaked objects). Runs in this thread,
// without a worker, so the engine's own output can be captured.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import debugVariant from '@jitl/quickjs-wasmfile-debug-sync';
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import { type LoadedModule, disposeModule, runGuestJob, type SyncHostCall } from './guest-runner';
import type { SandboxCall } from './sandbox-call';
import { resolveLimits, type SandboxLimits } from './sandbox-limits';
import { WarmModules, warmKeyOf } from './warm-modules';
import type { WorkerJob, WorkerOutcome } from './worker-protocol';

/** What the debug build printed (leak reports and assertion failures go to stderr). */
const engineOutput: string[] = [];
const wasm: QuickJSWASMModule = await newQuickJSWASMModuleFromVariant(
  newVariant(debugVariant, {
    emscriptenModule: {
      print: (text: string) => engineOutput.push(text),
      printErr: (text: string) => engineOutput.push(text),
    } as never,
  }),
);

const event = { user: { id: 'u1', email: 'dev@example.com' }, payload: { fields: {} } };
const integration = { id: 'int-1', settings: {}, secrets: [{ id: 'sec-1' }] };
const hook = (name = 'on_request'): SandboxCall => ({ kind: 'hook', name, event });

/** Host doors answering like the main thread would; `deny` makes every call fail with host_denied. */
function hostCalls(deny = false): SyncHostCall {
  return (op) => {
    if (deny) return JSON.stringify({ ok: false, code: 'host_denied', message: `${op} is not allowed` });
    const values: Record<string, unknown> = {
      http: { status_code: 200, ok: true, headers: {}, url: 'https://api.example.com/', text: '{"a":1}' },
      secret: 's3cret',
      'identity.get': null,
      'identity.set': null,
      'pagerduty.on_call': [{ id: 'm1', email: 'mgr@example.com' }],
    };
    return JSON.stringify({ ok: true, value: values[op] ?? null });
  };
}

function job(source: string, extra: Partial<Omit<WorkerJob, 'limits' | 'callJson'>> & { limits?: Partial<SandboxLimits>; call?: SandboxCall } = {}): WorkerJob {
  const { limits, call = hook(), ...rest } = extra;
  // The debug build is unoptimised (-O0): a larger CPU budget keeps ordinary cases clear of it.
  return { source, filename: 'impl.js', mode: 'run', callJson: JSON.stringify(call), ...rest, limits: resolveLimits({ cpuMs: 5000 }, limits) };
}

/** Runs a job in a fresh runtime (disposed by runGuestJob) and checks the engine reported nothing. */
function runClean(workerJob: WorkerJob, deny = false): WorkerOutcome {
  engineOutput.length = 0;
  // `tainted` is not checked: the debug build's sanitizers make its heap far larger than the
  // release build's, which trips the worker's heap-size retirement rule.
  const { outcome } = runGuestJob(wasm, workerJob, hostCalls(deny), () => {});
  assertNoLeaks();
  return outcome;
}

/** Leaked objects abort the disposal ("Assertion failed: list_empty(&rt->gc_obj_list)"), leaked strings and atoms are listed: both print. */
function assertNoLeaks(): void {
  // Other debug warnings (e.g. about UTF-8 decoding of a refused module name) are not leaks.
  const reports = engineOutput.filter((line) => /leak|assert|abort/i.test(line));
  assert.deepEqual(reports, [], `QuickJS reported handles alive at runtime disposal:\n${engineOutput.join('\n')}`);
}

function errorCode(outcome: WorkerOutcome): string {
  return outcome.ok ? 'ok' : outcome.error.code;
}

const STRATEGY = `import { AccessStrategy } from 'sym/sdk/strategies';
import requests from 'sym/http';
export class Demo extends AccessStrategy {
  fetch_remote_identity(user) { return user.email; }
  escalate(target_id, event) {
    const token = this.integration.settings.secrets[0].retrieve_value();
    return [requests.post('https://api.example.com/grant', { json: { target_id, token: token.length } }).json(), target_id];
  }
  async deescalate(target_id) { return 'removed ' + target_id; }
}
`;

describe('sandbox guest runner: no handle leaks (QuickJS debug build)', () => {
  after(() => {
    // A module abort would leave the debug build unusable; nothing to free otherwise.
    engineOutput.length = 0;
  });

  describe('invocations', () => {
    const cases: Array<{ name: string; job: WorkerJob; expect: (outcome: WorkerOutcome) => void }> = [
      {
        name: 'a hook returning JSON',
        job: job("import { events, slack } from 'sym/sdk';\nexport function on_request(e) { return [events.approval.approve(), slack.channel('#a'), e.fields]; }"),
        expect: (o) => assert.equal(errorCode(o), 'ok'),
      },
      {
        name: 'a hook returning undefined',
        job: job('export function on_request() {}'),
        expect: (o) => assert.deepEqual(o, { ok: true, json: undefined }),
      },
      {
        name: 'an async hook using PagerDuty and the console',
        job: job("import { pagerduty } from 'sym/sdk';\nexport async function on_request() { console.log('x', { a: 1 }); return pagerduty.on_call({ schedule: 'S' }); }"),
        expect: (o) => assert.deepEqual(o, { ok: true, json: '[{"id":"m1","email":"mgr@example.com"}]' }),
      },
      {
        name: 'a strategy escalation with a secret and HTTP',
        job: job(STRATEGY, { call: { kind: 'strategy', method: 'escalate', targetId: 't-1', event, integration } }),
        expect: (o) => assert.deepEqual(o, { ok: true, json: '[{"a":1},"t-1"]' }),
      },
      {
        name: 'an async strategy deescalation',
        job: job(STRATEGY, { call: { kind: 'strategy', method: 'deescalate', targetId: 't-1', event, integration } }),
        expect: (o) => assert.deepEqual(o, { ok: true, json: '"removed t-1"' }),
      },
      {
        name: 'get_requester_identity through the identity cache',
        job: job(STRATEGY, { call: { kind: 'identity', event, integration } }),
        expect: (o) => assert.deepEqual(o, { ok: true, json: '"dev@example.com"' }),
      },
      {
        name: 'a console flood past the line limit',
        job: job("export function on_request() { for (let i = 0; i < 50; i++) console.log('line', i); return 'done'; }", { limits: { maxLogLines: 5 } }),
        expect: (o) => assert.deepEqual(o, { ok: true, json: '"done"' }),
      },
      {
        name: 'a plan-time check of a flow',
        job: job('export function on_request() {}\nexport function not_a_hook() {}', { mode: 'check', checkKind: 'flow' }),
        expect: (o) => assert.ok(o.ok && o.json?.includes('not_a_hook')),
      },
      {
        name: 'a plan-time check of a strategy',
        job: job(STRATEGY, { mode: 'check', checkKind: 'strategy' }),
        expect: (o) => assert.deepEqual(o, { ok: true, json: '[]' }),
      },
      {
        name: 'a plan-time check of a flows filter',
        job: job('export function get_flows() { return []; }', { mode: 'check', checkKind: 'flows-filter' }),
        expect: (o) => assert.deepEqual(o, { ok: true, json: '[]' }),
      },
    ];
    for (const c of cases) {
      it(c.name, () => c.expect(runClean(c.job)));
    }
  });

  describe('errors', () => {
    const cases: Array<{ name: string; job: WorkerJob; code: string; deny?: boolean }> = [
      { name: 'a thrown Error', job: job("export function on_request() { throw new Error('no'); }"), code: 'runtime' },
      { name: 'a thrown non-Error value', job: job("export function on_request() { throw { why: 'no' }; }"), code: 'runtime' },
      { name: 'a rejected promise', job: job("export async function on_request() { throw new TypeError('late'); }"), code: 'runtime' },
      { name: 'a promise that never settles', job: job('export function on_request() { return new Promise(() => {}); }'), code: 'timeout' },
      { name: 'a module that throws while evaluating', job: job("throw new Error('at load');\nexport function on_request() {}"), code: 'runtime' },
      { name: 'a syntax error', job: job('export function on_request( {'), code: 'syntax' },
      { name: 'a forbidden import', job: job("import fs from 'fs';\nexport function on_request() {}"), code: 'forbidden_import' },
      { name: 'a forbidden dynamic import', job: job("export async function on_request() { return import('os'); }"), code: 'forbidden_import' },
      { name: 'a hook that is not exported', job: job('export function on_approve() {}'), code: 'missing_export' },
      { name: 'a result that is not JSON', job: job('export function on_request() { return () => 1; }'), code: 'runtime' },
      { name: 'a result over the size limit', job: job("export function on_request() { return 'x'.repeat(5000); }", { limits: { maxResultBytes: 1000 } }), code: 'result_too_large' },
      {
        name: 'a denied host call left uncaught',
        job: job("import requests from 'sym/http';\nexport function on_request() { return requests.get('https://evil.example.com/'); }"),
        code: 'host_denied',
        deny: true,
      },
      {
        name: 'an error in a strategy method',
        job: job(STRATEGY.replace("return 'removed ' + target_id;", "throw new Error('cannot remove');"), {
          call: { kind: 'strategy', method: 'deescalate', targetId: 't-1', event, integration },
        }),
        code: 'runtime',
      },
      {
        name: 'host call arguments over the size limit',
        job: job("import requests from 'sym/http';\nexport function on_request() { return requests.post('https://api.example.com/', { data: 'x'.repeat(5000) }); }", {
          limits: { maxResultBytes: 1000 },
        }),
        code: 'host_denied',
      },
      { name: 'a check of a module that throws', job: job("throw new Error('at load');", { mode: 'check', checkKind: 'flow' }), code: 'runtime' },
    ];
    for (const c of cases) {
      it(c.name, () => assert.equal(errorCode(runClean(c.job, c.deny)), c.code));
    }
  });

  describe('limit stops', () => {
    // Booting the SDK alone takes a few hundred ms in the unoptimised debug build.
    const TIMEOUT_MS = 2000;
    const cases: Array<{ name: string; job: WorkerJob; code: string }> = [
      { name: 'CPU time in the hook', job: job('export function on_request() { for (;;) {} }', { limits: { cpuMs: TIMEOUT_MS } }), code: 'timeout' },
      { name: 'CPU time while evaluating the module', job: job('for (;;) {}\nexport function on_request() {}', { limits: { cpuMs: TIMEOUT_MS } }), code: 'timeout' },
      { name: 'CPU time in a plan-time check', job: job('for (;;) {}', { mode: 'check', checkKind: 'flow', limits: { cpuMs: TIMEOUT_MS } }), code: 'timeout' },
      { name: 'stack depth', job: job('function f() { return f() + 1; }\nexport function on_request() { return f(); }'), code: 'stack' },
      {
        name: 'memory',
        job: job("export function on_request() { const a = []; for (let i = 0; ; i++) a.push('x'.repeat(65536) + i); }", {
          limits: { memoryBytes: 4 * 1024 * 1024 },
        }),
        code: 'memory',
      },
    ];
    for (const c of cases) {
      it(c.name, () => assert.equal(errorCode(runClean(c.job)), c.code));
    }
  });

  describe('warm modules', () => {
    it('frees a kept module when it is evicted, and one discarded after a failing warm call', () => {
      engineOutput.length = 0;
      const warm = new WarmModules<LoadedModule>(1, disposeModule);
      const source = "let calls = 0;\nexport function on_request(e) { calls++; if (e.fields.fail) throw new Error('x'); return calls; }";
      const jobFor = (scope: string, fields: Record<string, boolean> = {}) => job(source, { reuseScope: scope, call: { kind: 'hook', name: 'on_request', event: { ...event, payload: { fields } } } });
      const run = (scope: string, fields: Record<string, boolean> = {}) => {
        return runGuestJob(wasm, jobFor(scope, fields), hostCalls(), () => {}, undefined, warm).outcome;
      };
      assert.deepEqual(run('org-a:flow-1'), { ok: true, json: '1' });
      assert.deepEqual(run('org-a:flow-1'), { ok: true, json: '2' }, 'the second call reused the module');
      assert.equal(errorCode(run('org-a:flow-1', { fail: true })), 'runtime');
      assert.equal(warm.size, 0, 'a failing warm call discards its module');
      assert.deepEqual(run('org-a:flow-1'), { ok: true, json: '1' });
      assert.deepEqual(run('org-b:flow-1'), { ok: true, json: '1' }, 'a second scope evicts the first (capacity 1)');
      // A module that read a secret is never kept, so it is freed at once.
      const escalation = job(STRATEGY, { reuseScope: 'org-a:strategy-1', call: { kind: 'strategy', method: 'escalate', targetId: 't-1', event, integration } });
      assert.equal(runGuestJob(wasm, escalation, hostCalls(), () => {}, undefined, warm).outcome.ok, true);
      assert.equal(warm.take(warmKeyOf(escalation)!), undefined, 'not kept after a secret read');
      // Free the last one, as a worker does when it replaces it.
      disposeModule(warm.take(warmKeyOf(jobFor('org-b:flow-1'))!)!);
      assertNoLeaks();
    });
  });
});
