/** Turns the Slack benchmark's JSON result into table rows (interaction ack, message update). */
import type { BenchRow } from './render-table';
import { formatFineMs } from './sandbox-rows';

/** p50, p99 and max of a sample, in milliseconds. */
export interface LatencyStats {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

/** What control-plane/scripts/bench-slack.ts prints. */
export interface SlackResult {
  concurrency: number;
  rounds: number;
  ack: LatencyStats;
  updated: LatencyStats;
}

/** The row names, in table order; also used for failed rows. */
export const SLACK_ROW_NAMES = ['Slack: interaction received → HTTP ack, p99 under 50 concurrent approvals', 'Slack: Approve click → approval message updated in the Slack double, p99'] as const;

/** The targets, in milliseconds. */
export const SLACK_TARGETS_MS = { ack: 100, updated: 1000 } as const;

const measured = (s: LatencyStats) => `p99 ${formatFineMs(s.p99)} (p50 ${formatFineMs(s.p50)}, max ${formatFineMs(s.max)}, n=${s.n})`;

/** One row per measurement, judged against its target. */
export function slackRows(result: SlackResult): BenchRow[] {
  return [
    { benchmark: SLACK_ROW_NAMES[0], measured: measured(result.ack), target: `p99 ≤ ${SLACK_TARGETS_MS.ack} ms`, ok: result.ack.p99 <= SLACK_TARGETS_MS.ack },
    { benchmark: SLACK_ROW_NAMES[1], measured: measured(result.updated), target: `p99 ≤ ${SLACK_TARGETS_MS.updated.toLocaleString('en-US')} ms`, ok: result.updated.p99 <= SLACK_TARGETS_MS.updated },
  ];
}
