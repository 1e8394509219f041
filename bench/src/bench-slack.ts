/**
 * The Slack rows: interaction ack latency under 50 concurrent approvals, and click → approval
 * message updated, on embedded PGlite and on a throwaway PostgreSQL 15 server. The work runs in
 * control-plane/scripts/bench-slack.ts (it needs the control plane's Slack testbed and doubles);
 * this side starts it per database and turns its JSON line into rows.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startThrowawayPostgres } from '../../control-plane/src/test-support/throwaway-postgres';
import { repoRoot } from './paths';
import { progress } from './progress';
import { skippedRow, type BenchRow } from './render-table';
import { SLACK_TARGET_TEXT, slackRowNames, slackRows, type SlackDatabase, type SlackResult } from './slack-rows';

const controlPlaneDir = join(repoRoot, 'control-plane');

/** Runs the script (on `databaseUrl` when given, else PGlite); its progress lines pass through to stderr. */
function runSlackBench(databaseUrl?: string): Promise<SlackResult> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', 'scripts/bench-slack.ts', ...(databaseUrl ? ['--database-url', databaseUrl] : [])];
    const child = spawn(process.execPath, args, { cwd: controlPlaneDir, stdio: ['ignore', 'pipe', 'inherit'] });
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

/** One database's two rows; a failure fails both. */
async function benchOne(database: SlackDatabase): Promise<BenchRow[]> {
  const names = slackRowNames(database);
  progress(`slack (${database}): interaction acks and message updates`);
  let close: (() => Promise<void>) | undefined;
  try {
    let url: string | undefined;
    if (database === 'postgres') {
      const server = await startThrowawayPostgres();
      if ('skip' in server) return names.map((name, i) => skippedRow(name, SLACK_TARGET_TEXT[i]!, server.skip));
      close = server.close;
      url = server.url;
    }
    return slackRows(await runSlackBench(url), database);
  } catch (error) {
    return names.map((benchmark) => ({ benchmark, measured: `error: ${(error as Error).message}`, target: '—', ok: false }));
  } finally {
    await close?.().catch(() => {});
  }
}

/** The Slack rows on PGlite, then on PostgreSQL. */
export async function benchSlack(): Promise<BenchRow[]> {
  return [...(await benchOne('pglite')), ...(await benchOne('postgres'))];
}
