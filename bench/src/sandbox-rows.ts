/** Turns the sandbox benchmark's JSON result into table rows (hook call overhead, cold and warm). */
import type { BenchRow } from './render-table';

/** A sample's median and 99th percentile, in milliseconds. */
export interface SampleStats {
  median: number;
  p99: number;
  n: number;
}

/** What control-plane/scripts/bench-sandbox.ts prints. */
export interface SandboxResult {
  on_request: { cold: SampleStats; warm: SampleStats; warmModule: SampleStats };
  get_approvers: { cold: SampleStats; warm: SampleStats; warmModule: SampleStats };
  vm: { cold: SampleStats; warm: SampleStats };
}

/** The row names, in table order; also used for skipped rows. */
export const SANDBOX_ROW_NAMES = [
  'sandbox runHook on_request → approve, cold (new sandbox: worker + QuickJS)',
  'sandbox runHook on_request → approve, warm (fresh QuickJS runtime per call)',
  'sandbox runHook on_request → approve, warm module (reuseScope, as the request service calls it)',
  'sandbox runHook get_approvers → slack.user, cold',
  'sandbox runHook get_approvers → slack.user, warm',
  'sandbox runHook get_approvers → slack.user, warm module (reuseScope)',
  'reference: node:vm new context + compile + call',
  'reference: node:vm call in a reused context',
] as const;

/** Durations down to microseconds: hook calls are milliseconds, node:vm calls microseconds. */
export function formatFineMs(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 100) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

function measured(s: SampleStats): string {
  return `${formatFineMs(s.median)} median, p99 ${formatFineMs(s.p99)} (n=${s.n})`;
}

/** Informational rows: no target was set for hook overhead. */
export function sandboxRows(result: SandboxResult): BenchRow[] {
  const samples = [
    result.on_request.cold,
    result.on_request.warm,
    result.on_request.warmModule,
    result.get_approvers.cold,
    result.get_approvers.warm,
    result.get_approvers.warmModule,
    result.vm.cold,
    result.vm.warm,
  ];
  return SANDBOX_ROW_NAMES.map((benchmark, i) => ({ benchmark, measured: measured(samples[i]!), target: '—', ok: null }));
}
