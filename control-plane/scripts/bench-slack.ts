/**
 * Work half of `pnpm bench`'s Slack rows (bench/src/bench-slack.ts runs it). One control plane in
 * this process on in-memory PGlite (or on the PostgreSQL database `--database-url` names), wired to
 * the Slack Web API double (the Slack testbed), serving on a loopback port. Each round: 50 requests are made through signed modal submissions, their
 * approval messages posted to `#ops` (the flow's `slack.channel('#ops')` approvers); then a
 * channel member clicks Approve on all 50 at once (signed `block_actions` over real HTTP).
 * - ack: click sent → HTTP answer received (the decision is a committed job by then);
 * - updated: click sent → the double's `chat.update` of that approval message to "Access granted"
 *   (job run, request approved and granted by the recording strategy, message re-rendered).
 * The clicks are sent by scripts/bench-slack-clicker.ts in a child process, so the HTTP client does
 * not compete with the control plane for this event loop, over connections it opened and used once
 * before (as Slack's, or a load balancer's, kept-alive connections); each round starts once the
 * previous work is done (no job due or running). The Slack double stays in this process (its
 * `chat.update` times are taken when this loop gets to them, so they can only be late). The control
 * plane runs as in production, without the tests' check of every answer against the OpenAPI
 * document. `OPENSYM_BENCH_PROFILE=<prefix>` writes a CPU profile of each round's clicks.
 * `--warm-up` rounds (default 1) run first and are reported apart (`warmUp`): the approver's very
 * first clicks (identity looked up and linked) and code paths V8 has not compiled yet.
 * Prints one JSON line: p50/p99/max of each, in milliseconds, the 1-minute load average at the
 * start and the end (the machine may be shared), and this process's CPU time per approval from the
 * clicks to the last update (control plane and double together).
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { slackSignature } from '../src/integrations/slack/slack-signature';
import { slackPayloads } from '../src/integrations/slack/testing/slack-test-client';
import { waitFor } from '../src/jobs/testing/wait-for';
import { PEOPLE, startSlackTestbed } from '../src/features/slack/slack-testbed';
import { countStatements } from './bench-statement-counter';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '4' }, 'warm-up': { type: 'string', default: '1' }, concurrency: { type: 'string', default: '50' }, 'database-url': { type: 'string' } },
});
const rounds = Number(values.rounds);
// Rounds run first and reported apart ("warmUp"): the approver's first click ever (their Slack
// identity is looked up and linked) and the first runs of every code path (V8 compiles them).
const warmUpRounds = Number(values['warm-up']);
const concurrency = Number(values.concurrency);
const progress = (message: string) => process.stderr.write(`[bench] slack: ${message}\n`);

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1)!, n: sorted.length };
};

const statements = countStatements();
// OPENSYM_BENCH_PROFILE=<file prefix>: a CPU profile of this thread per round, clicks to last update only.
const profilePrefix = process.env.OPENSYM_BENCH_PROFILE;
const profiler = profilePrefix ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
}
const load = () => Number(loadavg()[0]!.toFixed(1));
const loadAtStart = load();
const databaseUrl = values['database-url'];
// As production runs: answers are not checked against the OpenAPI document (tests do that).
const bed = await startSlackTestbed({ ...(databaseUrl && { location: { url: databaseUrl } }), validateResponses: false });
const server = bed.t.cp.app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const payloads = slackPayloads(bed.slack);

/** A signed interaction as the clicker sends it. */
const signed = (payload: Record<string, unknown>) => {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': slackSignature(bed.signingSecret, timestamp, body) },
  };
};

/**
 * Starts the clicker (a child process) with the clicks; `ready` settles once it has its connections
 * open and warm, `go()` sends every click at once and resolves with each one's send time (epoch
 * ms), ack time and status.
 */
const startClicker = (clicks: ReturnType<typeof signed>[]) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-slack-clicker.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  let onLine: (() => void) | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('\n')) onLine?.();
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`bench-slack-clicker.ts exited with ${code}`))));
  });
  const ready = Promise.race([
    exited.then(() => {
      throw new Error('bench-slack-clicker.ts ended before it was ready');
    }),
    new Promise<void>((resolve) => (onLine = resolve)),
  ]);
  child.stdin.write(`${JSON.stringify({ url: `${base}/slack/interactions`, clicks })}\n`);
  const go = async (): Promise<{ sentAt: number; ackMs: number; status: number }[]> => {
    child.stdin.end('go\n');
    await exited;
    return JSON.parse(stdout.slice(stdout.indexOf('\n') + 1)) as never;
  };
  return { ready, go };
};

/** One signed interaction over HTTP; resolves with the status once the answer is in. */
const interact = async (payload: Record<string, unknown>): Promise<number> => {
  const { body, headers } = signed(payload);
  const res = await fetch(`${base}/slack/interactions`, { method: 'POST', headers, body });
  await res.arrayBuffer();
  return res.status;
};

try {
  const flowId = await bed.create('entities/flows', {
    name: 'ops-access',
    implementation: `import { slack } from 'sym/sdk';\nexport function get_approvers(event) { return [slack.channel('#ops')]; }\n`,
    environment_id: bed.environmentId,
    params: { strategy_id: bed.strategyId, prompt_field: [{ name: 'duration', type: 'duration', required: true }] },
  });
  const acks: number[] = [];
  const updates: number[] = [];
  // CPU this process spent from the clicks to the last update (control plane and Slack double):
  // unlike the latencies, it hardly depends on how busy the rest of the machine is.
  let clickCpuMicros = 0;
  // Statements from the clicks to the last update, summed over the rounds.
  const clickStatements = { total: 0, claims: 0, completions: 0 };
  // Slack Web API calls from the clicks to the last update, by method, summed over the rounds.
  const slackCalls = new Map<string, number>();
  const warmUp = { acks: [] as number[], updates: [] as number[] };
  for (let round = 1 - warmUpRounds; round <= rounds; round++) {
    const measured = round >= 1;
    const label = measured ? `round ${round}/${rounds}` : `warm-up round ${round + warmUpRounds}/${warmUpRounds}`;
    progress(`${label}: ${concurrency} requests through the modal`);
    const posted = bed.slack.messagesIn('C0OPS').length;
    for (let i = 0; i < concurrency; i++) {
      const status = await interact(
        payloads.submit(PEOPLE.requester, {
          callback_id: 'sym_request',
          private_metadata: JSON.stringify({ flow: flowId, channel: '' }),
          values: { 'field:duration': { value: { type: 'plain_text_input', value: '1h' } } },
        }),
      );
      if (status !== 200) throw new Error(`modal submit answered ${status}`);
    }
    const messages = await waitFor(`${concurrency} approval messages in #ops`, () => {
      const all = bed.slack.messagesIn('C0OPS').slice(posted);
      return all.length >= concurrency ? all.slice(0, concurrency) : undefined;
    });
    // The round's own work (requesters' DMs, ...) finished first: the clicks meet an idle server.
    await waitFor('no job due or running', async () => (await bed.t.cp.db.prisma.job.count({ where: { OR: [{ state: 'running' }, { state: 'queued', runAt: { lte: new Date() } }] } })) === 0, 60_000);
    const requestIds = messages.map((m) => /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(m.blocks))?.[1]);
    if (requestIds.some((id) => !id)) throw new Error('an approval message carries no request id');
    progress(`${label}: ${concurrency} concurrent Approve clicks`);
    const clicker = startClicker(messages.map((m, i) => signed(payloads.click(PEOPLE.mgr1, { action_id: 'sym_approve', value: requestIds[i]! }, { channel: m.channel, ts: m.ts }))));
    await clicker.ready;
    if (profiler) await profiler.post('Profiler.start');
    const cpuBefore = process.cpuUsage();
    const callsBefore = bed.slack.calls.length;
    const statementsBefore = { ...statements };
    statements.byShape.clear();
    const clicked = await clicker.go();
    for (const c of clicked) if (c.status !== 200) throw new Error(`click answered ${c.status}`);
    await waitFor('every approval message to show the grant', () => messages.every((m) => m.history.some((h) => h.text.includes('Access granted'))), 120_000);
    const cpu = process.cpuUsage(cpuBefore);
    // The double's times are this process's performance.now(); the clicker's are epoch based.
    const updated = messages.map((m, i) => performance.timeOrigin + m.history.find((h) => h.text.includes('Access granted'))!.at - clicked[i]!.sentAt);
    if (!measured) {
      warmUp.acks.push(...clicked.map((c) => c.ackMs));
      warmUp.updates.push(...updated);
      await profiler?.post('Profiler.stop');
      continue;
    }
    acks.push(...clicked.map((c) => c.ackMs));
    updates.push(...updated);
    for (const c of bed.slack.calls.slice(callsBefore)) slackCalls.set(c.method, (slackCalls.get(c.method) ?? 0) + 1);
    clickCpuMicros += cpu.user + cpu.system;
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(`${profilePrefix}-${round}.cpuprofile`, JSON.stringify(profile));
    }
    for (const k of ['total', 'claims', 'completions'] as const) clickStatements[k] += statements[k] - statementsBefore[k];
    // OPENSYM_BENCH_STATEMENTS=1: which statements a round of clicks sent, most frequent first.
    for (const [shape, n] of [...statements.byShape].sort((a, b) => b[1] - a[1])) progress(`round ${round}: ${String(n).padStart(5)} × ${shape}`);
  }
  process.stdout.write(
    `${JSON.stringify({ concurrency, rounds, ack: stats(acks), updated: stats(updates), loadAverage: { start: loadAtStart, end: load() }, cpuMsPerApproval: Number((clickCpuMicros / 1000 / (rounds * concurrency)).toFixed(1)), statementsPerRound: { total: clickStatements.total / rounds, claims: clickStatements.claims / rounds, completions: clickStatements.completions / rounds }, slackCallsPerRound: Object.fromEntries([...slackCalls].map(([method, n]) => [method, n / rounds])), ...(warmUpRounds > 0 && { warmUp: { rounds: warmUpRounds, ack: stats(warmUp.acks), updated: stats(warmUp.updates) } }) })}\n`,
  );
} finally {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await bed.close();
}
