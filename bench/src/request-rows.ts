/** Turns the auto-approved request load test into rows, checked against the targets. */
import { formatMs, formatRate } from './format';
import type { BenchRow } from './render-table';

/** The targets for `POST /api/v1/events/request` on an auto-approving flow. */
export const REQUEST_TARGET = { perSecond: 500, p99Ms: 50 } as const;
export const REQUEST_TARGET_TEXT = `≥ ${REQUEST_TARGET.perSecond} req/s, p99 ≤ ${REQUEST_TARGET.p99Ms} ms`;

/** The part of an autocannon result the row needs. */
export interface RequestLoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** The row name for one database. */
export function requestRowName(database: 'pglite' | 'postgres', seconds: number, connections: number): string {
  const where = database === 'pglite' ? 'embedded PGlite' : 'PostgreSQL 15';
  return `POST /api/v1/events/request, auto-approved (on_request → approve, approval-only), ${where} (${seconds} s, ${connections} conns)`;
}

/**
 * Rate, p50 and p99; ok only when both targets hold and nothing failed. `serverCpuMs` (CPU the
 * server process used during the run) adds CPU per request, which moves far less than the rate
 * when other work shares the machine.
 */
export function requestRow(benchmark: string, result: RequestLoadResult, serverCpuMs: number | null = null): BenchRow {
  const failures = result.non2xx + result.errors + result.timeouts;
  // Two decimals: a change of a few tens of µs per request is what this figure is read for.
  const cpu = serverCpuMs !== null && result.requests.total > 0 ? `, server CPU ${(serverCpuMs / result.requests.total).toFixed(2)} ms/request` : '';
  const measured =
    `${formatRate(result.requests.average)}, p50 ${formatMs(result.latency.p50)}, p99 ${formatMs(result.latency.p99)}${cpu}` + (failures ? ` (${failures} failed of ${result.requests.total})` : '');
  const ok = failures === 0 && result.requests.average >= REQUEST_TARGET.perSecond && result.latency.p99 <= REQUEST_TARGET.p99Ms;
  return { benchmark, measured, target: REQUEST_TARGET_TEXT, ok };
}
