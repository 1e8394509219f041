/**
 * The Slack rows: interaction ack latency under 50 concurrent approvals, and click → approval
 * message updated. The work runs in control-plane/scripts/bench-slack.ts (it needs the control
 * plane's Slack testbed and doubles); this side starts it and turns its JSON line into rows.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { progress } from './progress';
import type { BenchRow } from './render-table';
import { SLACK_ROW_NAMES, slackRows, type SlackResult } from './slack-rows';

const controlPlaneDir = join(repoRoot, 'control-plane');

/** Runs the script; its progress lines pass through to stderr. */
function runSlackBench(): Promise<SlackResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-slack.ts'], { cwd: controlPlaneDir, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) return reject(new Error(`bench-slack.ts exited with ${code}`));
      resolve(JSON.parse(last) as SlackResult);
    });
  });
}

/** Runs the Slack benchmark; a failure fails both of its rows. */
export async function benchSlack(): Promise<BenchRow[]> {
  progress('slack: interaction acks and message updates');
  try {
    return slackRows(await runSlackBench());
  } catch (error) {
    return SLACK_ROW_NAMES.map((benchmark) => ({ benchmark, measured: `error: ${(error as Error).message}`, target: '—', ok: false }));
  }
}
