/**
 * Work half of `pnpm bench`'s Python rows (bench/src/bench-python.ts runs it): the seed's
 * routing rules as impl.py in the sandbox's Python engine (CPython 3.12 WASI, DECISIONS.md §8).
 * first call = a new sandbox's first invocation, which starts a worker and its interpreter (the
 * first sample of the process also compiles the engine); warm = later calls with a reuseScope, as
 * the request service calls hooks; fresh namespace = without one (the module is executed again);
 * host call = get_approver asking a PagerDuty double. Memory: process RSS and WASM heap for 4
 * interpreters (4 tenants) started side by side. Prints one JSON line (milliseconds, MiB).
 */
import { parseArgs } from 'node:util';
import { createSandbox, type SymEvent } from '../src/sandbox';

const { values } = parseArgs({ options: { cold: { type: 'string', default: '5' }, warm: { type: 'string', default: '300' } } });
const coldRuns = Number(values.cold);
const warmRuns = Number(values.warm);
const progress = (message: string) => process.stderr.write(`[bench] python: ${message}\n`);

// The seed's impl.py (shared/seeds/routing-rules.md), unchanged.
const SOURCE = `from sym import events
from sym.annotations import hook, reducer
from sym.integrations import slack, pagerduty

def on_request(req):
    # Automatically approve requests for free tier customers
    if req.fields["customer_plan"] == "free":
        return events.approval.approve()

def get_approver(req):
    # If the user is assigned to this account, then they can self-approve.
    if req.fields["is_assigned"]:
        return slack.user(req.user)
    else: # Otherwise, send the approval to the on-call managers.
        on_call_mgrs = pagerduty.on_call(schedule="id_of_mgr_on_call")
        # This would cause each on-call manager to be DMed
        return [slack.user(x) for x in on_call_mgrs]
`;

const event = (fields: Record<string, unknown>): SymEvent => ({
  type: 'request',
  user: { id: 'u1', email: 'alice@example.com' },
  payload: { fields: { reason: 'bench', ...fields } as SymEvent['payload']['fields'] },
  flow: { id: 'f1', name: 'access', vars: {} },
  run: { id: 'r1', actors: {} },
});
const free = { kind: 'hook' as const, name: 'on_request', event: event({ customer_plan: 'free', is_assigned: true }) };
const onCall = { kind: 'hook' as const, name: 'get_approver', event: event({ customer_plan: 'pro', is_assigned: false }) };
const pagerduty = { onCall: () => [{ email: 'mgr@example.com' }], isOnCall: () => true };

function stats(samples: number[]): { median: number; p99: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { median: at(0.5), p99: at(0.99), n: sorted.length };
}
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const cold: number[] = [];
for (let i = 0; i < coldRuns; i++) {
  const sandbox = createSandbox();
  try {
    cold.push(await timed(() => sandbox.run({ source: SOURCE, filename: 'impl.py', call: free, tenant: 'org' })));
  } finally {
    await sandbox.close();
  }
}
progress(`first call ${cold.map((ms) => ms.toFixed(0)).join(', ')} ms`);

const sandbox = createSandbox();
const warm: number[] = [];
const fresh: number[] = [];
const host: number[] = [];
try {
  const first = await sandbox.run({ source: SOURCE, filename: 'impl.py', call: free, tenant: 'org', reuseScope: 'org:flow' });
  progress(`on_request returned ${JSON.stringify(first.value)}`);
  // Warm-up (not measured): V8 tiers the interpreter's hot functions up in the background.
  for (let i = 0; i < warmRuns; i++) await sandbox.run({ source: SOURCE, filename: 'impl.py', call: free, tenant: 'org', reuseScope: 'org:flow' });
  for (let i = 0; i < warmRuns; i++) warm.push(await timed(() => sandbox.run({ source: SOURCE, filename: 'impl.py', call: free, tenant: 'org', reuseScope: 'org:flow' })));
  for (let i = 0; i < warmRuns; i++) fresh.push(await timed(() => sandbox.run({ source: SOURCE, filename: 'impl.py', call: free, tenant: 'org' })));
  await sandbox.run({ source: SOURCE, filename: 'impl.py', call: onCall, tenant: 'org', reuseScope: 'org:flow', host: { pagerduty } });
  for (let i = 0; i < warmRuns; i++) host.push(await timed(() => sandbox.run({ source: SOURCE, filename: 'impl.py', call: onCall, tenant: 'org', reuseScope: 'org:flow', host: { pagerduty } })));
} finally {
  await sandbox.close();
}

// Memory: four interpreters side by side (one per tenant), RSS measured before and after.
const rssBefore = process.memoryUsage().rss;
const four = createSandbox({ pythonWorkers: 4 });
let rssPerWorker = 0;
try {
  await Promise.all(['a', 'b', 'c', 'd'].map((tenant) => four.run({ source: SOURCE, filename: 'impl.py', call: free, tenant })));
  rssPerWorker = (process.memoryUsage().rss - rssBefore) / 4 / 1048576;
} finally {
  await four.close();
}
progress(`RSS per interpreter ${rssPerWorker.toFixed(0)} MiB`);

process.stdout.write(`${JSON.stringify({ cold: stats(cold), warm: stats(warm), fresh: stats(fresh), host: stats(host), rssPerWorkerMiB: rssPerWorker })}\n`);
