/** Benchmark 3: control-plane throughput and tail latency under autocannon, read and create. */
import autocannon from 'autocannon';
import { formatMs, formatRate } from './format';
import { progress } from './progress';
import type { BenchRow } from './render-table';
import { skippedRow } from './render-table';
import type { ControlPlane } from './start-control-plane';

const DURATION_S = 5;
const CONNECTIONS = 10;
const GET_NAME = `GET /api/v1/entities/access-targets/{id} (${DURATION_S} s, ${CONNECTIONS} conns)`;
const POST_NAME = `POST /api/v1/entities/access-targets (${DURATION_S} s, ${CONNECTIONS} conns)`;

/** Turns an autocannon result into a row; any non-2xx answer or socket error fails the row. */
function rowFrom(benchmark: string, result: autocannon.Result): BenchRow {
  const failures = result.non2xx + result.errors + result.timeouts;
  const measured = `${formatRate(result.requests.average)}, p99 ${formatMs(result.latency.p99)}` + (failures ? ` (${failures} failed of ${result.requests.total})` : '');
  // No throughput target was set for the control plane: informational unless requests failed.
  return { benchmark, measured, target: '—', ok: failures ? false : null };
}

/** Runs autocannon with progress on stderr. */
async function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  progress(`control plane: ${options.method ?? 'GET'} ${options.url} for ${DURATION_S} s`);
  const result = await autocannon(options);
  progress(`control plane: ${result.requests.total} requests, ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

/** Runs both load tests against a running control plane. */
export async function benchControlPlane(cp: ControlPlane | null, cpProblem: string): Promise<BenchRow[]> {
  if (!cp) return [skippedRow(GET_NAME, '—', cpProblem), skippedRow(POST_NAME, '—', cpProblem)];
  const headers = { authorization: `Bearer ${cp.token}`, 'content-type': 'application/json' };
  const collection = `${cp.url}/api/v1/entities/access-targets`;

  const created = await fetch(collection, {
    method: 'POST',
    headers,
    body: JSON.stringify({ type: 'custom', name: `bench-read-${Date.now()}`, settings: { identifier: 'x' } }),
  });
  if (created.status !== 201) throw new Error(`creating the target to read: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };

  const get = await cannon({ url: `${collection}/${id}`, headers, connections: CONNECTIONS, duration: DURATION_S });

  // Names must be unique per organization and type, so every request gets its own.
  const prefix = `bench-${Date.now().toString(36)}`;
  let n = 0;
  const post = await cannon({
    url: collection,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        method: 'POST',
        headers,
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ type: 'custom', name: `${prefix}-${n++}`, settings: { identifier: `id-${n}` } }),
        }),
      },
    ],
  });
  return [rowFrom(GET_NAME, get), rowFrom(POST_NAME, post)];
}
