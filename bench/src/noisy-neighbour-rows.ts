/** Turns the noisy-neighbour run into its row: org A's p99 with org B quiet and with org B stuck. */
import { formatMs } from './format';
import type { BenchRow } from './render-table';

/** The target: org A's p99 while org B's hooks wait on slow host calls, at most twice its quiet p99. */
export const NOISY_TARGET_RATIO = 2;
export const NOISY_TARGET_TEXT = `noisy p99 ≤ ${NOISY_TARGET_RATIO}× quiet p99, no failures`;

/** One phase of org A's load (autocannon's fields the row needs). */
export interface NoisyPhase {
  p99Ms: number;
  p50Ms: number;
  total: number;
  failed: number;
}

/** What the run measured. */
export interface NoisyResult {
  quiet: NoisyPhase;
  noisy: NoisyPhase;
  /** Fewest host calls of org B pending at any sample during the noisy phase (its hooks stuck). */
  minStuck: number;
  /** Org B's concurrent requests. */
  bConcurrency: number;
  /** Org A's quiet p99 before and after the noisy phase (`quiet` is the lower one). */
  quietP99s?: [number, number];
}

/** The row name. */
export function noisyRowName(seconds: number, connections: number, bConcurrency: number): string {
  return `noisy neighbour: org A auto-approved POST /api/v1/events/request (${seconds} s, ${connections} conns) while org B keeps ${bConcurrency} requests whose on_request waits on a PagerDuty double that never answers (host calls at their 10 s limit, invocations at the 30 s wall clock), PostgreSQL 15`;
}

/** Quiet and noisy p99 and their ratio; ok only when the ratio holds, nothing failed and B really was stuck. */
export function noisyRow(benchmark: string, result: NoisyResult): BenchRow {
  const { quiet, noisy } = result;
  if (noisy.total === 0) {
    const measured = `quiet p99 ${formatMs(quiet.p99Ms)} (${quiet.total} requests); with org B stuck no request of org A completed (${noisy.failed} failed or timed out)`;
    return { benchmark, measured, target: NOISY_TARGET_TEXT, ok: false };
  }
  // Sub-millisecond p99s make ratios meaningless; 1 ms is autocannon's resolution.
  const ratio = Math.max(noisy.p99Ms, 1) / Math.max(quiet.p99Ms, 1);
  const failed = quiet.failed + noisy.failed;
  const both = result.quietP99s ? `; lower of before ${formatMs(result.quietP99s[0])} / after ${formatMs(result.quietP99s[1])}` : '';
  const measured =
    `quiet p99 ${formatMs(quiet.p99Ms)} (p50 ${formatMs(quiet.p50Ms)}, ${quiet.total} requests${both}), ` +
    `noisy p99 ${formatMs(noisy.p99Ms)} (p50 ${formatMs(noisy.p50Ms)}, ${noisy.total} requests), ratio ${ratio.toFixed(2)}×; ` +
    `org B had at least ${result.minStuck} host calls pending throughout` +
    (failed ? ` (${failed} of org A's requests failed)` : '');
  const ok = failed === 0 && result.minStuck > 0 && ratio <= NOISY_TARGET_RATIO;
  return { benchmark, measured, target: NOISY_TARGET_TEXT, ok };
}
