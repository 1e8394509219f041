/**
 * Work half of `pnpm bench`'s sandbox rows (bench/src/bench-sandbox.ts runs it): the overhead of
 * one `runHook` call for two small hooks, cold (the first call on a new sandbox: worker thread,
 * QuickJS WASM, SDK) and warm (later calls on the started pool; each still gets a fresh QuickJS
 * runtime, as the sandbox's isolation requires), with node:vm as a reference that isolates far
 * less. Prints one JSON line of medians and p99s in milliseconds.
 */
import { createContext, Script } from 'node:vm';
import { parseArgs } from 'node:util';
import { createSandbox, type SandboxCall, type SymEvent } from '../src/sandbox';

const { values } = parseArgs({
  options: {
    cold: { type: 'string', default: '5' },
    warm: { type: 'string', default: '200' },
  },
});
const coldRuns = Number(values.cold);
const warmRuns = Number(values.warm);
const progress = (message: string) => process.stderr.write(`[bench] sandbox: ${message}\n`);

// The seed's routing rules: on_request approves free-plan requests; get_approvers names the
// requester's Slack user when assigned.
const SOURCE = `import { events } from 'sym/sdk';
import { slack } from 'sym/sdk/integrations';

export function on_request(event) {
  if (event.payload.fields.customer_plan === 'free') {
    return events.approval.approve();
  }
}

export function get_approvers(event) {
  if (event.payload.fields.is_assigned) {
    return slack.user(event.user);
  }
  return slack.channel('#access-requests', { allow_self: false });
}
`;

const event: SymEvent = {
  type: 'request',
  user: { id: 'u1', email: 'alice@example.com' },
  payload: { fields: { customer_plan: 'free', is_assigned: true, reason: 'bench' } },
  flow: { id: 'f1', name: 'access', vars: {} },
  run: { id: 'r1', actors: {} },
};

const HOOKS = ['on_request', 'get_approvers'] as const;

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

const result: Record<string, unknown> = {};
for (const name of HOOKS) {
  const call: SandboxCall = { kind: 'hook', name, event };
  const cold: number[] = [];
  for (let i = 0; i < coldRuns; i++) {
    const sandbox = createSandbox({ maxWorkers: 1 });
    try {
      cold.push(await timed(() => sandbox.run({ source: SOURCE, call })));
    } finally {
      await sandbox.close();
    }
  }
  const sandbox = createSandbox({ maxWorkers: 1 });
  const warm: number[] = [];
  const warmModule: number[] = [];
  try {
    const first = await sandbox.run({ source: SOURCE, call });
    progress(`${name} returned ${JSON.stringify(first.value)}`);
    for (let i = 0; i < warmRuns; i++) warm.push(await timed(() => sandbox.run({ source: SOURCE, call })));
    // With a reuse scope (what the request service passes): the module evaluated once, then called.
    await sandbox.run({ source: SOURCE, call, reuseScope: 'bench:flow' });
    for (let i = 0; i < warmRuns; i++) warmModule.push(await timed(() => sandbox.run({ source: SOURCE, call, reuseScope: 'bench:flow' })));
  } finally {
    await sandbox.close();
  }
  result[name] = { cold: stats(cold), warm: stats(warm), warmModule: stats(warmModule) };
  progress(`${name}: cold ${stats(cold).median.toFixed(1)} ms, warm ${stats(warm).median.toFixed(2)} ms`);
}

// node:vm: the same two hooks as a script; "cold" makes a context and compiles per call (what
// a fresh-runtime-per-call design pays), "warm" calls into one context that stays.
const VM_SOURCE = `
const events = { approval: { approve: () => ({ type: 'approval.approve' }) } };
const slack = { user: (u) => ({ type: 'slack_user', user: u }), channel: (name, o) => ({ type: 'slack_channel', name, allow_self: !!(o && o.allow_self) }) };
globalThis.on_request = (event) => { if (event.payload.fields.customer_plan === 'free') return events.approval.approve(); };
globalThis.get_approvers = (event) => event.payload.fields.is_assigned ? slack.user(event.user) : slack.channel('#access-requests', { allow_self: false });
`;
const vmCall = (context: Record<string, unknown>, name: string): unknown => {
  // Data crosses as JSON, as it does into QuickJS.
  const fn = context[name] as (e: unknown) => unknown;
  return JSON.parse(JSON.stringify(fn(JSON.parse(JSON.stringify(event))) ?? null));
};
const vmCold: number[] = [];
for (let i = 0; i < warmRuns; i++) {
  vmCold.push(
    await timed(async () => {
      const context = createContext({});
      new Script(VM_SOURCE, { filename: 'impl.js' }).runInContext(context);
      vmCall(context, 'on_request');
    }),
  );
}
const context = createContext({});
new Script(VM_SOURCE, { filename: 'impl.js' }).runInContext(context);
const vmWarm: number[] = [];
for (let i = 0; i < warmRuns * 10; i++) vmWarm.push(await timed(async () => vmCall(context, 'on_request')));
result.vm = { cold: stats(vmCold), warm: stats(vmWarm) };

process.stdout.write(`${JSON.stringify(result)}\n`);
