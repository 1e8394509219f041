// The wall-clock limit of Python invocations (python-engine.ts): a hook that waits on a host call
// uses no CPU, so only the wall clock can stop it. The double below never answers until the test
// lets it go, so the outcome does not depend on timing: the limit is the only way out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSandbox } from '../create-sandbox';
import { SandboxError } from '../sandbox-error';
import type { SymUser } from '../sandbox-call';
import type { PagerDutyHost } from '../sandbox-host';

const event = { user: { id: 'u1', email: 'a@example.com' }, payload: { fields: {} } };

const QUICK = 'def on_request(event):\n    return 2\n';
const WAITS = `from sym.sdk.integrations import pagerduty

def on_request(event):
    return pagerduty.on_call(schedule="primary")
`;

/** A PagerDuty double whose calls stay pending until `releaseAll`. */
function heldPagerDuty() {
  const pending: Array<(users: SymUser[]) => void> = [];
  const host: PagerDutyHost = {
    onCall: () => new Promise<SymUser[]>((resolve) => pending.push(resolve)),
    isOnCall: () => false,
  };
  return {
    host,
    get calls() {
      return pending.length;
    },
    releaseAll: () => {
      for (const resolve of pending.splice(0)) resolve([{ email: 'oncall@example.com' }]);
    },
  };
}

describe('Python wall-clock limit', () => {
  const sandbox = createSandbox({ pythonWorkers: 1 });
  after(() => sandbox.close());
  // A warm interpreter: its cold start (≈2 s under load) would otherwise count against the short limit below.
  before(async () => {
    const warm = await sandbox.run({ source: QUICK, filename: 'impl.py', call: { kind: 'hook', name: 'on_request', event }, tenant: 'org-a' });
    assert.equal(warm.value, 2);
  });

  it('stops a hook blocked on a host call past the limit, with code wall_clock, and the tenant runs again', { timeout: 60_000 }, async () => {
    const held = heldPagerDuty();
    const error = await sandbox
      .run({
        source: WAITS,
        filename: 'impl.py',
        call: { kind: 'hook', name: 'on_request', event },
        host: { pagerduty: held.host },
        tenant: 'org-a',
        // The host call alone may take 60 s, the invocation as a whole only 1 s; CPU is never used up.
        limits: { wallClockMs: 1000, hostCallTimeoutMs: 60_000, cpuMs: 30_000 },
      })
      .then(
        () => assert.fail('expected a wall-clock stop'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof SandboxError, String(error));
    assert.equal(error.code, 'wall_clock');
    assert.equal(error.message, 'the invocation ran past its wall-clock limit of 1000 ms while it waited on a host call; it was stopped');
    assert.equal(held.calls, 1, 'the hook reached the host call and was stopped there');
    held.releaseAll();
    const next = await sandbox.run({ source: QUICK, filename: 'impl.py', call: { kind: 'hook', name: 'on_request', event }, tenant: 'org-a' });
    assert.equal(next.value, 2);
  });
});
