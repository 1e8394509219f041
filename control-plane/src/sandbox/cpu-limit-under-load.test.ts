// The CPU limit's hard stop counts the guest's CPU, not wall time. On a loaded machine (load ~20 on
// two cores, ten flows checked at once) the main thread may not get to the worker's "done" message
// for longer than the whole budget; the job must still end with its value, not be terminated as
// a hook that "did not stop within N ms of CPU time". The main thread is kept busy here (it does
// nothing but wait) while the worker finishes a guest that uses almost no CPU; how long the
// worker takes does not matter, only that the main thread is away for more than the budget.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CpuDeadline } from './cpu-deadline';
import { CpuWatchdog } from './cpu-watchdog';
import { createSandbox } from './create-sandbox';
import type { SandboxIntegration } from './sandbox-call';

const event = { user: { id: 'u1', email: 'a@example.com' }, payload: { fields: {} } };
const LIMITS = { cpuMs: 200, hardStopGraceMs: 100 };
const BUDGET_MS = LIMITS.cpuMs + LIMITS.hardStopGraceMs;

/** Holds the main thread for `ms` (as other work would on a loaded machine). */
function busyMainThread(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('the hard stop counts guest CPU, not time the main thread was away', () => {
  const sandbox = createSandbox({ maxWorkers: 1 });
  after(() => sandbox.close());

  it('a guest that used little CPU is not stopped when the main thread was busy past the budget', async () => {
    const source = `import { AccessStrategy } from 'sym/sdk/strategies';
export class Quick extends AccessStrategy {
  escalate(target_id, event) {
    return this.integration.settings.secrets[0].retrieve_value().length;
  }
}
`;
    const integration: SandboxIntegration = { id: 'i1', settings: {}, secrets: [{ id: 's1' }] };
    const host = {
      retrieveSecret: () => {
        // Runs once the reply is on its way and the guest's budget runs again (the microtasks
        // that deliver it come first): the main thread is then away for three budgets.
        setImmediate(() => busyMainThread(3 * BUDGET_MS));
        return 'secret';
      },
    };
    const result = await sandbox.run({ source, host, limits: LIMITS, call: { kind: 'strategy', method: 'escalate', targetId: 't1', event, integration } });
    assert.equal(result.value, 6);
  });
});

describe('CpuWatchdog (injected clocks and timer)', () => {
  /** A manual timer queue: `fire()` runs what is due, as a late event loop would. */
  function harness(budgetMs: number) {
    let cpu: number | undefined = 0;
    let wall = 0;
    let pending: (() => void) | undefined;
    let expired = 0;
    let reads = 0;
    const dog = new CpuWatchdog({
      budgetMs,
      cpuClock: () => (reads++, cpu),
      now: () => wall,
      setTimer: (fn) => (pending = fn),
      clearTimer: () => (pending = undefined),
      onExpired: () => expired++,
    });
    return {
      dog,
      advance(wallMs: number, cpuMs: number) {
        wall += wallMs;
        if (cpu !== undefined) cpu += cpuMs;
      },
      stopCpuClock: () => (cpu = undefined),
      fire() {
        const fn = pending;
        pending = undefined;
        fn?.();
      },
      expired: () => expired,
      reads: () => reads,
    };
  }

  // Reading a thread's CPU from /proc costs a system call on the main thread; the request path ran
  // two per invocation (start and end) before this.
  it('an invocation that ends within its budget of wall time never reads the CPU clock', () => {
    const h = harness(1500);
    h.dog.start();
    h.advance(600, 600);
    h.dog.pause();
    h.advance(5_000, 0); // a host call
    h.dog.start();
    h.advance(800, 800);
    h.dog.pause();
    assert.equal(h.reads(), 0);
    assert.equal(h.expired(), 0);
  });

  it('wall time without guest CPU never expires the budget', () => {
    const h = harness(1500);
    h.dog.start();
    for (let i = 0; i < 20; i++) {
      h.advance(10_000, 5);
      h.fire();
    }
    assert.equal(h.expired(), 0);
    assert.equal(h.dog.used(), 100);
  });

  it('expires once the guest thread used the budget, host-call pauses not counted', () => {
    const h = harness(1500);
    h.dog.start();
    h.advance(900, 900);
    h.dog.pause();
    h.advance(5_000, 0); // a host call
    h.dog.start();
    h.advance(500, 500);
    h.fire();
    assert.equal(h.expired(), 0, '1400 ms of CPU is under the budget');
    h.advance(100, 100);
    h.fire();
    assert.equal(h.expired(), 1);
  });

  it('falls back to wall time when the thread CPU cannot be read', () => {
    const h = harness(1500);
    h.stopCpuClock();
    h.dog.start();
    h.advance(1500, 0);
    h.fire();
    assert.equal(h.expired(), 1);
  });
});

describe("CpuDeadline (the guest's own limit, injected clocks)", () => {
  it('a passed wall deadline is not a spent budget while the thread used less CPU', () => {
    let wall = 0;
    let cpu = 0;
    const deadline = new CpuDeadline(
      () => cpu,
      () => wall,
    );
    deadline.start(1000);
    wall += 5000; // waited for a core: 5 s of wall time, 300 ms of CPU
    cpu += 300;
    assert.equal(deadline.passed(), false);
    const paused = deadline.pause();
    wall += 10_000; // a host call
    deadline.resume(paused);
    wall += 700;
    cpu += 699;
    assert.equal(deadline.passed(), false, '999 ms of CPU');
    wall += 5;
    cpu += 1;
    assert.equal(deadline.passed(), true, '1000 ms of CPU');
  });

  it('without a CPU clock the wall deadline decides', () => {
    let wall = 0;
    const deadline = new CpuDeadline(
      () => undefined,
      () => wall,
    );
    deadline.start(1000);
    wall += 1000;
    assert.equal(deadline.passed(), false);
    wall += 1;
    assert.equal(deadline.passed(), true);
  });
});
