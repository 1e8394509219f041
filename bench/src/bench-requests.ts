/**
 * Benchmark 6: auto-approved access requests. A flow whose `on_request` returns
 * `events.approval.approve()` and that has no strategy (approval-only), requested by a member
 * with their own token through `POST /api/v1/events/request` under autocannon, on the control
 * plane's embedded PGlite and on a throwaway PostgreSQL 15 server. Every answer must be 201 with
 * state `approved`: the whole request path runs (auth, field checks, the hook in the sandbox, one
 * statement writing the request and its two audit events). The token's identity, the requester
 * and the flow come from the control plane's 5 s caches after the first request, so in steady
 * state each request makes one database round trip.
 */
import { existsSync } from 'node:fs';
import autocannon from 'autocannon';
import { startThrowawayPostgres } from '../../control-plane/src/test-support/throwaway-postgres';
import { controlPlaneServer } from './paths';
import { processCpuMs } from './process-cpu';
import { progress } from './progress';
import type { BenchRow } from './render-table';
import { skippedRow } from './render-table';
import { REQUEST_TARGET_TEXT, requestRow, requestRowName } from './request-rows';
import { startControlPlane, type ControlPlane } from './start-control-plane';

const DURATION_S = Number(process.env.OPENSYM_BENCH_REQUEST_SECONDS ?? 10);
const WARMUP_S = 3;
const CONNECTIONS = 10;
const FLOW = 'bench-auto-approve';
const ON_REQUEST = 'import { events } from "sym/sdk";\n\nexport function on_request(event) {\n  return events.approval.approve();\n}\n';

/** POSTs as `token` and returns the JSON answer; anything but `status` throws. */
async function post(cp: ControlPlane, token: string, path: string, body: unknown, status = 201): Promise<Record<string, unknown>> {
  const res = await fetch(`${cp.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== status) throw new Error(`POST ${path}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The flow, and a member's own token to request it with. */
async function prepare(cp: ControlPlane): Promise<string> {
  const env = await post(cp, cp.token, '/api/v1/entities/environments', { name: 'bench-requests' });
  await post(cp, cp.token, '/api/v1/entities/flows', {
    name: FLOW,
    implementation: ON_REQUEST,
    environment_id: env.id,
    params: { prompt_field: [{ name: 'reason', type: 'string', required: true }] },
  });
  const user = await post(cp, cp.token, '/api/v1/users', { email: 'bench-requester@example.com', role: 'member' });
  const issued = await post(cp, cp.token, `/api/v1/users/${user.id}/tokens`, {});
  return String(issued.token);
}

/** One autocannon run of the request; answers other than 201 count as failures. */
function load(cp: ControlPlane, token: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${cp.url}/api/v1/events/request`,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ flow: FLOW, flow_inputs: { reason: 'bench' } }),
    connections: CONNECTIONS,
    duration: seconds,
  });
}

/** Starts a control plane on `database`, warms it up, measures, stops it. */
async function benchOne(database: 'pglite' | 'postgres'): Promise<BenchRow> {
  const name = requestRowName(database, DURATION_S, CONNECTIONS);
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const env: NodeJS.ProcessEnv = {};
    if (database === 'postgres') {
      const server = await startThrowawayPostgres();
      if ('skip' in server) return skippedRow(name, REQUEST_TARGET_TEXT, server.skip);
      cleanups.unshift(() => server.close());
      env.DATABASE_URL = server.url;
    }
    progress(`requests (${database}): starting the control plane`);
    const cp = await startControlPlane(90_000, env);
    cleanups.unshift(() => cp.stop());
    const token = await prepare(cp);
    const first = await post(cp, token, '/api/v1/events/request', { flow: FLOW, flow_inputs: { reason: 'bench' } });
    if (first.state !== 'approved') throw new Error(`the flow did not auto-approve: state ${String(first.state)}`);
    progress(`requests (${database}): warm-up ${WARMUP_S} s`);
    await load(cp, token, WARMUP_S);
    progress(`requests (${database}): ${DURATION_S} s, ${CONNECTIONS} connections`);
    const cpuBefore = processCpuMs(cp.pid);
    const result = await load(cp, token, DURATION_S);
    const cpuAfter = processCpuMs(cp.pid);
    progress(`requests (${database}): ${result.requests.total} requests, ${result.non2xx} non-2xx, ${result.errors} errors, p99 ${result.latency.p99} ms`);
    const pending = await fetch(`${cp.url}/api/v1/requests?state=pending&limit=1`, { headers: { authorization: `Bearer ${cp.token}` } });
    const { data } = (await pending.json()) as { data: unknown[] };
    if (data.length > 0) throw new Error('some requests were left pending: the flow did not auto-approve every one');
    return requestRow(name, result, cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null);
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
  }
}

/** Both databases; a failure on one does not hide the other's row. */
export async function benchRequests(): Promise<BenchRow[]> {
  const databases = ['pglite', 'postgres'] as const;
  if (!existsSync(controlPlaneServer)) {
    return databases.map((d) => skippedRow(requestRowName(d, DURATION_S, CONNECTIONS), REQUEST_TARGET_TEXT, 'no control-plane/dist/server.js (run `pnpm build`)'));
  }
  const rows: BenchRow[] = [];
  for (const database of databases) {
    try {
      rows.push(await benchOne(database));
    } catch (error) {
      progress(`requests (${database}): failed: ${(error as Error).stack ?? error}`);
      rows.push({ benchmark: requestRowName(database, DURATION_S, CONNECTIONS), measured: `error: ${(error as Error).message.split('\n')[0]!.slice(0, 200)}`, target: REQUEST_TARGET_TEXT, ok: false });
    }
  }
  return rows;
}
