/** Turns the expiry benchmark's JSON result into table rows. */
import { formatMs } from './format';
import type { BenchRow } from './render-table';
import { skippedRow } from './render-table';

/**
 * Which half of the expiry benchmark: `queue` (control-plane/scripts/bench-expiry.ts: jobs whose
 * handler only records completion) or `lifecycle` (scripts/bench-deescalation.ts: the whole
 * deescalation of aws_lambda grants by real servers). The target is judged on `lifecycle`.
 */
export type ExpiryScope = 'queue' | 'lifecycle';

/** What the expiry scripts print. */
export interface ExpiryResult {
  mode: 'postgres' | 'pglite';
  instances: number;
  jobs: number;
  /** Lifecycle only: the window the grants end in. */
  spreadMs?: number;
  done: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  duplicates: number;
  handler: string;
  loadAverage: number;
}

export const EXPIRY_TARGET = 'all taken back ≤ 5 s after expiry, none twice';
export const EXPIRY_LAG_MS = 5000;

export function expiryRowName(mode: 'postgres' | 'pglite', jobs = 10_000, scope: ExpiryScope = 'queue', spreadMs = 60_000): string {
  const count = jobs.toLocaleString('en-US');
  if (scope === 'lifecycle') {
    const where = mode === 'postgres' ? 'PostgreSQL, 2 servers' : 'PGlite, 1 server';
    return `expiry → deescalated, full lifecycle: ${count} aws_lambda grants ending within ${Math.round(spreadMs / 1000)} s (${where})`;
  }
  const where = mode === 'postgres' ? 'PostgreSQL, 2 processes' : 'PGlite, 1 queue';
  return `expiry lag, job queue only: ${count} deescalate jobs due within 5 s (${where})`;
}

/** A row; the queue half is informational (its handler does no deescalation work). */
export function expiryRow(result: ExpiryResult | { skipped: string }, mode: 'postgres' | 'pglite', scope: ExpiryScope = 'queue'): BenchRow {
  const target = scope === 'lifecycle' ? EXPIRY_TARGET : '—';
  if ('skipped' in result) return skippedRow(expiryRowName(mode, 10_000, scope), target, result.skipped);
  const incomplete = result.done < result.jobs ? `; only ${result.done}/${result.jobs} done, ${result.failed} failed` : '';
  const measured =
    `p50 ${formatMs(result.p50Ms)}, p99 ${formatMs(result.p99Ms)}, max ${formatMs(result.maxMs)}; ` +
    `${result.duplicates} ran twice${incomplete} (handler ${result.handler}; load avg ${result.loadAverage})`;
  const ok = result.done === result.jobs && result.duplicates === 0 && result.maxMs <= EXPIRY_LAG_MS;
  return { benchmark: expiryRowName(mode, result.jobs, scope, result.spreadMs), measured, target, ok: scope === 'lifecycle' ? ok : null };
}
