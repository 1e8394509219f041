/** Turns the Python sandbox benchmark's JSON result into table rows (DECISIONS.md §8 budgets). */
import type { BenchRow } from './render-table';
import { formatFineMs, type SampleStats } from './sandbox-rows';

/** What control-plane/scripts/bench-python.ts prints. */
export interface PythonResult {
  cold: SampleStats;
  warm: SampleStats;
  fresh: SampleStats;
  host: SampleStats;
  rssPerWorkerMiB: number;
}

/** The row names, in table order; also used for failed rows. */
export const PYTHON_ROW_NAMES = [
  'python hook (seed impl.py on_request), warm (reuseScope)',
  'python hook get_approver with one host call (PagerDuty double), warm',
  'python hook on_request, fresh namespace per call (no reuseScope)',
  'python first call in a new worker (thread + CPython WASI start + SDK + call)',
  'python memory per interpreter (process RSS growth, 4 side by side)',
] as const;

const measured = (s: SampleStats) => `${formatFineMs(s.median)} median, p99 ${formatFineMs(s.p99)} (n=${s.n})`;

/** Rows with the budgets: a warm call ≤ 5 ms (median), the first call in a new worker ≤ 2 s (median). */
export function pythonRows(result: PythonResult): BenchRow[] {
  return [
    { benchmark: PYTHON_ROW_NAMES[0], measured: measured(result.warm), target: '≤ 5 ms', ok: result.warm.median <= 5 },
    { benchmark: PYTHON_ROW_NAMES[1], measured: measured(result.host), target: '—', ok: null },
    { benchmark: PYTHON_ROW_NAMES[2], measured: measured(result.fresh), target: '—', ok: null },
    { benchmark: PYTHON_ROW_NAMES[3], measured: measured(result.cold), target: '≤ 2 s', ok: result.cold.median <= 2000 },
    { benchmark: PYTHON_ROW_NAMES[4], measured: `${Math.round(result.rssPerWorkerMiB)} MiB`, target: 'stated', ok: null },
  ];
}
