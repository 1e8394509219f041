/** Turns the expiry benchmark's JSON result into table rows. */
import { formatMs } from './format';
import type { BenchRow } from './render-table';
import { skippedRow } from './render-table';

/** What control-plane/scripts/bench-expiry.ts prints. */
export interface ExpiryResult {
  mode: 'postgres' | 'pglite';
  instances: number;
  jobs: number;
  done: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  duplicates: number;
  handler: string;
  loadAverage: number;
}

export const EXPIRY_TARGET = 'all done ≤ 5 s after runAt, none twice';
export const EXPIRY_LAG_MS = 5000;

export function expiryRowName(mode: 'postgres' | 'pglite', jobs = 10_000): string {
  const where = mode === 'postgres' ? 'PostgreSQL, 2 processes' : 'PGlite, 1 queue';
  return `expiry lag: ${jobs.toLocaleString('en-US')} deescalate jobs due within 5 s (${where})`;
}

export function expiryRow(result: ExpiryResult | { skipped: string }, mode: 'postgres' | 'pglite'): BenchRow {
  if ('skipped' in result) return skippedRow(expiryRowName(mode), EXPIRY_TARGET, result.skipped);
  const incomplete = result.done < result.jobs ? `; only ${result.done}/${result.jobs} done, ${result.failed} failed` : '';
  const measured =
    `p50 ${formatMs(result.p50Ms)}, p99 ${formatMs(result.p99Ms)}, max ${formatMs(result.maxMs)}; ` +
    `${result.duplicates} ran twice${incomplete} (handler ${result.handler}; load avg ${result.loadAverage})`;
  const ok = result.done === result.jobs && result.duplicates === 0 && result.maxMs <= EXPIRY_LAG_MS;
  return { benchmark: expiryRowName(mode, result.jobs), measured, target: EXPIRY_TARGET, ok };
}
