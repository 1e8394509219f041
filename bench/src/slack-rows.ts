/** Turns the Slack benchmark's JSON result into table rows (interaction ack, message update), per database. */
import type { BenchRow } from './render-table';
import { formatFineMs } from './sandbox-rows';

/** p50, p99 and max of a sample, in milliseconds. */
export interface LatencyStats {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

/** Where the control plane keeps its data during the run. */
export type SlackDatabase = 'pglite' | 'postgres';

/** What control-plane/scripts/bench-slack.ts prints. */
export interface SlackResult {
  concurrency: number;
  rounds: number;
  ack: LatencyStats;
  updated: LatencyStats;
  /** 1-minute load average when the run started and when it ended (the machine is shared). */
  loadAverage?: { start: number; end: number };
  /** CPU milliseconds the server process (with the Slack double) spent per approval, clicks to last update. */
  cpuMsPerApproval?: number;
  /** The rounds run before the measured ones (first clicks of the approver, code not yet compiled), reported apart. */
  warmUp?: { rounds: number; ack: LatencyStats; updated: LatencyStats };
}

const WHERE: Record<SlackDatabase, string> = { pglite: 'embedded PGlite', postgres: 'PostgreSQL 15' };

/** The row names, in table order; also used for failed rows. */
export function slackRowNames(database: SlackDatabase): [string, string] {
  return [
    `Slack: interaction received → HTTP ack, p99 under 50 concurrent approvals (${WHERE[database]})`,
    `Slack: Approve click → approval message updated in the Slack double, p99 (${WHERE[database]})`,
  ];
}

/** The issue's targets, in milliseconds. */
export const SLACK_TARGETS_MS = { ack: 100, updated: 1000 } as const;

/** The targets as the table prints them, in row order. */
export const SLACK_TARGET_TEXT = [`p99 ≤ ${SLACK_TARGETS_MS.ack} ms`, `p99 ≤ ${SLACK_TARGETS_MS.updated.toLocaleString('en-US')} ms`] as const;

const measured = (s: LatencyStats, r: SlackResult, warm?: LatencyStats) =>
  `p99 ${formatFineMs(s.p99)} (p50 ${formatFineMs(s.p50)}, max ${formatFineMs(s.max)}, n=${s.n}${r.loadAverage ? `; load avg ${r.loadAverage.start}→${r.loadAverage.end}` : ''}${r.cpuMsPerApproval !== undefined ? `; CPU ${r.cpuMsPerApproval} ms/approval` : ''}${warm ? `; warm-up round p99 ${formatFineMs(warm.p99)}` : ''})`;

/** One row per measurement, judged against its target. */
export function slackRows(result: SlackResult, database: SlackDatabase = 'pglite'): BenchRow[] {
  const [ackName, updatedName] = slackRowNames(database);
  return [
    { benchmark: ackName, measured: measured(result.ack, result, result.warmUp?.ack), target: SLACK_TARGET_TEXT[0], ok: result.ack.p99 <= SLACK_TARGETS_MS.ack },
    { benchmark: updatedName, measured: measured(result.updated, result, result.warmUp?.updated), target: SLACK_TARGET_TEXT[1], ok: result.updated.p99 <= SLACK_TARGETS_MS.updated },
  ];
}
