// Noisy neighbours: an organization whose hooks wait on slow host calls must not hold the run
// slots another organization needs, each invocation has a wall-clock limit covering its host
// calls, and run slots go round-robin across organizations. Ordering is asserted by events
// (a host double released by the test), never by timings.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSandbox } from './create-sandbox';
import type { SymUser } from './sandbox-call';
import { SandboxError } from './sandbox-error';
import type { PagerDutyHost } from './sandbox-host';

const event = { user: { id: 'u1', email: 'a@example.com' }, payload: { fields: {} } };

/** A hook that waits on one host call (PagerDuty's on-call lookup) and returns how many answered. */
const SLOW_HOOK = `import { pagerduty } from 'sym/sdk';
export function on_request() { return pagerduty.on_call({ schedule: 'slow' }).length; }
`;
const QUICK_HOOK = `export function on_request(event) { return event.payload.fields.n; }
`;

/** A PagerDuty double whose calls stay pending until the test releases them. */
function gatedPagerDuty() {
  const pending: Array<(users: SymUser[]) => void> = [];
  const arrivals: Array<() => void> = [];
  let calls = 0;
  const host: PagerDutyHost = {
    onCall: () =>
      new Promise<SymUser[]>((resolve) => {
        calls++;
        pending.push(resolve);
        for (const notify of arrivals.splice(0)) notify();
      }),
    isOnCall: () => false,
  };
  return {
    host,
    get pending() {
      return pending.length;
    },
    /** Resolves once `count` calls in all have reached the double. */
    async arrived(count: number): Promise<void> {
      while (calls < count) await new Promise<void>((resolve) => arrivals.push(resolve));
    },
    releaseAll(): void {
      for (const resolve of pending.splice(0)) resolve([{ email: 'oncall@example.com' }]);
    },
  };
}

describe('fair scheduling across organizations', () => {
  const sandboxes: Array<{ close(): Promise<void> }> = [];
  after(async () => {
    await Promise.all(sandboxes.map((s) => s.close()));
  });

  it("org B's hooks waiting on slow host calls do not delay org A's hook (one run slot, both of B's calls still pending)", { timeout: 30_000 }, async () => {
    const sandbox = createSandbox({ maxWorkers: 1 });
    sandboxes.push(sandbox);
    const slow = gatedPagerDuty();
    const bRuns = [1, 2].map(() => sandbox.run({ source: SLOW_HOOK, call: { kind: 'hook', name: 'on_request', event }, host: { pagerduty: slow.host }, tenant: 'org-b' }));
    await slow.arrived(2);
    // Before the fix each of B's invocations held a worker until its host call answered, so
    // this run waited for the release below, which only happens after it: the test hung.
    const a = await sandbox.run({
      source: QUICK_HOOK,
      call: { kind: 'hook', name: 'on_request', event: { ...event, payload: { fields: { n: 7 } } } },
      tenant: 'org-a',
    });
    assert.equal(a.value, 7);
    assert.equal(slow.pending, 2, "both of org B's host calls were still waiting when org A's hook completed");
    slow.releaseAll();
    assert.deepEqual(
      (await Promise.all(bRuns)).map((r) => r.value),
      [1, 1],
    );
  });

  it('caps the invocations one organization has admitted; the others queue behind its own, not behind everyone', { timeout: 30_000 }, async () => {
    const sandbox = createSandbox({ maxWorkers: 1, perTenant: 2 });
    sandboxes.push(sandbox);
    const slow = gatedPagerDuty();
    const bRuns = [1, 2, 3, 4].map(() => sandbox.run({ source: SLOW_HOOK, call: { kind: 'hook', name: 'on_request', event }, host: { pagerduty: slow.host }, tenant: 'org-b' }));
    await slow.arrived(2);
    const aValues = await Promise.all(
      [1, 2, 3].map((n) => sandbox.run({ source: QUICK_HOOK, call: { kind: 'hook', name: 'on_request', event: { ...event, payload: { fields: { n } } } }, tenant: 'org-a' })),
    );
    assert.deepEqual(
      aValues.map((r) => r.value),
      [1, 2, 3],
    );
    assert.equal(slow.pending, 2, 'org B has only 2 invocations admitted; its other 2 have not started');
    slow.releaseAll();
    await slow.arrived(4);
    assert.equal(slow.pending, 2, 'the queued two start once the first two finish');
    slow.releaseAll();
    assert.equal((await Promise.all(bRuns)).length, 4);
  });

  it('starts no threads beyond the run slots while nothing waits on a host call', { timeout: 30_000 }, async () => {
    const sandbox = createSandbox({ maxWorkers: 2 });
    sandboxes.push(sandbox);
    const values = await Promise.all(
      Array.from({ length: 24 }, (_, n) => sandbox.run({ source: QUICK_HOOK, call: { kind: 'hook', name: 'on_request', event: { ...event, payload: { fields: { n } } } }, tenant: `org-${n % 3}` })),
    );
    assert.equal(values.length, 24);
    assert.deepEqual(sandbox.stats(), { threads: 2, idle: 2, running: 0, waiting: 0 });
  });

  it('keeps warm starts when threads were added for parked invocations: a flow goes back to the thread holding its module', { timeout: 30_000 }, async () => {
    const sandbox = createSandbox({ maxWorkers: 1 });
    sandboxes.push(sandbox);
    const slow = gatedPagerDuty();
    const parked = sandbox.run({ source: SLOW_HOOK, call: { kind: 'hook', name: 'on_request', event }, host: { pagerduty: slow.host }, tenant: 'org-b' });
    await slow.arrived(1);
    const counter = 'let calls = 0;\nexport function on_request() { return ++calls; }\n';
    const scoped = () => sandbox.run({ source: counter, call: { kind: 'hook', name: 'on_request', event }, tenant: 'org-a', reuseScope: 'org-a:flow' });
    // The first thread is parked, so this runs on a second one and leaves its module there.
    assert.equal((await scoped()).value, 1);
    slow.releaseAll();
    await parked;
    // Both threads are idle now; the parked one became idle last.
    assert.equal(sandbox.stats().idle, 2);
    assert.equal((await scoped()).value, 2, 'the module kept its state: same thread, warm start');
  });

  it('hands run slots round-robin across organizations, not first come first served', { timeout: 30_000 }, async () => {
    const sandbox = createSandbox({ maxWorkers: 1, perTenant: 10 });
    sandboxes.push(sandbox);
    // A warm-up leaves one idle worker thread, so the queue below is what decides the order.
    await sandbox.run({ source: QUICK_HOOK, call: { kind: 'hook', name: 'on_request', event } });
    const order: string[] = [];
    const run = (tenant: string, label: string) =>
      sandbox.run({ source: QUICK_HOOK, call: { kind: 'hook', name: 'on_request', event: { ...event, payload: { fields: { n: label } } } }, tenant }).then((r) => void order.push(String(r.value)));
    const all = [run('org-b', 'B1'), run('org-b', 'B2'), run('org-b', 'B3'), run('org-b', 'B4'), run('org-a', 'A1'), run('org-a', 'A2')];
    await Promise.all(all);
    // First come first served would give B1 B2 B3 B4 A1 A2.
    assert.ok(order.indexOf('A1') < order.indexOf('B3'), order.join(' '));
    assert.ok(order.indexOf('A2') < order.indexOf('B4'), order.join(' '));
  });
});

describe('wall-clock limit', () => {
  const sandbox = createSandbox({ maxWorkers: 1, perTenant: 1 });
  after(() => sandbox.close());
  // A worker that is already up: starting one under load can take longer than the 300 ms limit
  // below, and the stop would then come before the host call it is meant to interrupt.
  before(() => sandbox.run({ source: QUICK_HOOK, call: { kind: 'hook', name: 'on_request', event: { ...event, payload: { fields: { n: 1 } } } }, tenant: 'org-b' }));

  it('stops an invocation whose host call outlasts its wall-clock limit, with code wall_clock, and frees its place', { timeout: 30_000 }, async () => {
    const slow = gatedPagerDuty();
    const error = await sandbox
      .run({
        source: SLOW_HOOK,
        call: { kind: 'hook', name: 'on_request', event },
        host: { pagerduty: slow.host },
        tenant: 'org-b',
        // Each host call may take 10 s, but the invocation as a whole only 300 ms.
        limits: { wallClockMs: 300, hostCallTimeoutMs: 10_000 },
      })
      .then(
        () => assert.fail('expected a wall-clock stop'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof SandboxError, String(error));
    assert.equal(error.code, 'wall_clock');
    assert.equal(error.message, 'the invocation ran past its wall-clock limit of 300 ms while it waited on a host call; it was stopped');
    slow.releaseAll();
    // The tenant's one admitted place and the run slot are free again (perTenant: 1).
    const next = await sandbox.run({ source: QUICK_HOOK, call: { kind: 'hook', name: 'on_request', event: { ...event, payload: { fields: { n: 2 } } } }, tenant: 'org-b' });
    assert.equal(next.value, 2);
  });

  it('counts all host calls together: many calls each within their own timeout still hit the invocation limit', { timeout: 30_000 }, async () => {
    let calls = 0;
    const pagerduty: PagerDutyHost = {
      onCall: () => {
        calls++;
        return new Promise((resolve) => setTimeout(() => resolve([]), 50));
      },
      isOnCall: () => false,
    };
    const source = `import { pagerduty } from 'sym/sdk';
export function on_request() { for (let i = 0; i < 100; i++) pagerduty.on_call({ schedule: 's' }); return 'done'; }
`;
    const error = await sandbox.run({ source, call: { kind: 'hook', name: 'on_request', event }, host: { pagerduty }, tenant: 'org-c', limits: { wallClockMs: 400, hostCallTimeoutMs: 1000 } }).then(
      () => assert.fail('expected a wall-clock stop'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SandboxError);
    assert.equal(error.code, 'wall_clock');
    assert.ok(calls < 100, `stopped before all 100 host calls (made ${calls})`);
  });
});
