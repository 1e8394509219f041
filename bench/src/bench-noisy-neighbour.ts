/**
 * Noisy neighbour (issue 7 §3): org A's auto-approved access requests, first alone, then while
 * org B keeps requests open whose `on_request` loops on `pagerduty.on_call` against a PagerDuty
 * double that never answers. Each of B's host calls runs into its 10 s timeout and each of B's
 * hooks into the 30 s wall-clock limit, so B holds every run slot's worth of hooks (and more: its
 * per-organization cap) waiting on the network for the whole measurement. On PostgreSQL, because a
 * second organization has to be created beside the running server (there is no API for that).
 */
import { existsSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { openDatabase } from '../../control-plane/src/db/database';
import { generateToken, hashToken } from '../../control-plane/src/features/auth/auth-service';
import { createTokenStore } from '../../control-plane/src/features/auth/token-store';
import { defaultMigrationsDir } from '../../control-plane/src/compose';
import { startThrowawayPostgres } from '../../control-plane/src/test-support/throwaway-postgres';
import { NOISY_TARGET_TEXT, type NoisyPhase, noisyRow, noisyRowName } from './noisy-neighbour-rows';
import { controlPlaneServer } from './paths';
import { progress } from './progress';
import type { BenchRow } from './render-table';
import { skippedRow } from './render-table';
import { type ControlPlane, startControlPlane } from './start-control-plane';

const SECONDS = Number(process.env.OPENSYM_BENCH_NOISY_SECONDS ?? 10);
const WARMUP_S = 3;
const CONNECTIONS = 4;
/** Org B's concurrent requests: twice the server's per-organization cap (4), so B is always at it. */
const B_CONCURRENCY = 8;
const PD_TOKEN_ENV = 'SYM_SECRET_BENCH_NOISY_PD_TOKEN';
const QUICK = 'import { events } from "sym/sdk";\n\nexport function on_request(event) {\n  return events.approval.approve();\n}\n';
// Every call times out after 10 s; the loop keeps the hook waiting until its wall clock stops it.
const SLOW = 'import { pagerduty } from "sym/sdk";\n\nexport function on_request(event) {\n  for (;;) {\n    try { pagerduty.on_call({ schedule: "PSLOW" }); } catch (error) {}\n  }\n}\n';
const FIELDS = { prompt_field: [{ name: 'reason', type: 'string', required: true }] };

/** A PagerDuty API that accepts connections and never answers; counts the calls it holds. */
async function startStuckPagerDuty(): Promise<{ url: string; pending(): number; close(): Promise<void> }> {
  const held = new Set<ServerResponse>();
  const server = createServer((_req, res) => {
    held.add(res);
    res.on('close', () => held.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pending: () => held.size,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function call(cp: ControlPlane, token: string, method: string, path: string, body: unknown, status = 201): Promise<Record<string, unknown>> {
  const res = await fetch(`${cp.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A member of the token's organization with a token of their own. */
async function member(cp: ControlPlane, admin: string, email: string): Promise<string> {
  const user = await call(cp, admin, 'POST', '/api/v1/users', { email, role: 'member' });
  return String((await call(cp, admin, 'POST', `/api/v1/users/${user.id}/tokens`, {})).token);
}

/** Org B: an organization created straight in the database, with an admin token. */
async function secondOrganization(databaseUrl: string): Promise<string> {
  const db = await openDatabase({ url: databaseUrl }, defaultMigrationsDir());
  try {
    const token = generateToken();
    await createTokenStore(db.prisma).createOrganizationWithToken({ slug: 'noisy-b', tokenName: 'admin', role: 'admin', tokenHash: hashToken(token) });
    return token;
  } finally {
    await db.close();
  }
}

function load(cp: ControlPlane, token: string, flow: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${cp.url}/api/v1/events/request`,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ flow, flow_inputs: { reason: 'bench' } }),
    connections: CONNECTIONS,
    duration: seconds,
    // A request stuck behind org B should show in the p99, not vanish as a 10 s client timeout.
    timeout: 60,
  });
}

const phaseOf = (result: autocannon.Result): NoisyPhase => ({
  p99Ms: result.latency.p99,
  p50Ms: result.latency.p50,
  total: result.requests.total,
  failed: result.non2xx + result.errors + result.timeouts,
});

/** The benchmark; skipped without a build or without PostgreSQL binaries. */
export async function benchNoisyNeighbour(): Promise<BenchRow> {
  const name = noisyRowName(SECONDS, CONNECTIONS, B_CONCURRENCY);
  if (!existsSync(controlPlaneServer)) return skippedRow(name, NOISY_TARGET_TEXT, 'no control-plane/dist/server.js (run `pnpm build`)');
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const pg = await startThrowawayPostgres();
    if ('skip' in pg) return skippedRow(name, NOISY_TARGET_TEXT, pg.skip);
    cleanups.unshift(() => pg.close());
    const pd = await startStuckPagerDuty();
    cleanups.unshift(() => pd.close());
    progress('noisy neighbour: starting the control plane');
    const cp = await startControlPlane(90_000, { DATABASE_URL: pg.url, SYM_PAGERDUTY_API_URL: pd.url, [PD_TOKEN_ENV]: 'bench-pd-token' });
    cleanups.unshift(() => cp.stop());

    // Org A (the bootstrap organization): an auto-approving flow.
    const envA = await call(cp, cp.token, 'POST', '/api/v1/entities/environments', { name: 'quiet-a' });
    await call(cp, cp.token, 'POST', '/api/v1/entities/flows', { name: 'quick-a', implementation: QUICK, environment_id: envA.id, params: FIELDS });
    const tokenA = await member(cp, cp.token, 'requester-a@example.com');

    // Org B: the same kind of flow, but its hook waits on PagerDuty for as long as it may.
    const adminB = await secondOrganization(pg.url);
    const source = await call(cp, adminB, 'POST', '/api/v1/entities/secret-sources', { type: 'env', name: 'env' });
    const secret = await call(cp, adminB, 'POST', '/api/v1/entities/secrets', { path: PD_TOKEN_ENV, source_id: source.id });
    const pdIntegration = await call(cp, adminB, 'POST', '/api/v1/entities/integrations', {
      type: 'pagerduty',
      name: 'pd',
      external_id: 'noisy.pagerduty.com',
      settings: { api_token_secret: secret.id },
    });
    const envB = await call(cp, adminB, 'POST', '/api/v1/entities/environments', { name: 'noisy-b', integrations: { pagerduty_id: pdIntegration.id } });
    await call(cp, adminB, 'POST', '/api/v1/entities/flows', { name: 'slow-b', implementation: SLOW, environment_id: envB.id, params: FIELDS });
    const tokenB = await member(cp, adminB, 'requester-b@example.com');

    const first = await call(cp, tokenA, 'POST', '/api/v1/events/request', { flow: 'quick-a', flow_inputs: { reason: 'bench' } });
    if (first.state !== 'approved') throw new Error(`org A's flow did not auto-approve: state ${String(first.state)}`);
    progress(`noisy neighbour: warm-up ${WARMUP_S} s, then org A alone for ${SECONDS} s`);
    await load(cp, tokenA, 'quick-a', WARMUP_S);
    const quietBefore = phaseOf(await load(cp, tokenA, 'quick-a', SECONDS));
    progress(`noisy neighbour: quiet p99 ${quietBefore.p99Ms} ms over ${quietBefore.total} requests`);

    // Org B's requests, each re-sent as soon as it ends, until the measurement is over.
    const stop = new AbortController();
    const loops = Array.from({ length: B_CONCURRENCY }, async () => {
      while (!stop.signal.aborted) {
        await fetch(`${cp.url}/api/v1/events/request`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokenB}`, 'content-type': 'application/json' },
          body: JSON.stringify({ flow: 'slow-b', flow_inputs: { reason: 'noise' } }),
          signal: stop.signal,
        }).then(
          (r) => r.text(),
          () => undefined,
        );
      }
    });
    // Org B is stuck once its hooks hold its whole share of host calls.
    const started = Date.now();
    while (pd.pending() < 4 && Date.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 50));
    progress(`noisy neighbour: org B holds ${pd.pending()} PagerDuty calls; org A for ${SECONDS} s`);
    let minStuck = pd.pending();
    const sampler = setInterval(() => (minStuck = Math.min(minStuck, pd.pending())), 100);
    const noisy = phaseOf(await load(cp, tokenA, 'quick-a', SECONDS));
    clearInterval(sampler);
    stop.abort();
    await pd.close();
    await Promise.all(loops);
    progress(`noisy neighbour: noisy p99 ${noisy.p99Ms} ms over ${noisy.total} requests; org B had at least ${minStuck} calls pending`);
    // Org A alone again (B's last hooks end within moments of the double closing, during the
    // warm-up): the lower quiet p99 of the two is the baseline, which keeps the ratio honest when
    // the process was still warming up during the first.
    await load(cp, tokenA, 'quick-a', WARMUP_S);
    const quietAfter = phaseOf(await load(cp, tokenA, 'quick-a', SECONDS));
    progress(`noisy neighbour: quiet again p99 ${quietAfter.p99Ms} ms over ${quietAfter.total} requests`);
    const quiet = quietAfter.p99Ms < quietBefore.p99Ms ? quietAfter : quietBefore;
    return noisyRow(name, { quiet, noisy, minStuck, bConcurrency: B_CONCURRENCY, quietP99s: [quietBefore.p99Ms, quietAfter.p99Ms] });
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
  }
}
