/**
 * Benchmark 4: lag between expiry and deescalation for 10,000 grants expiring together, in two
 * halves: the job queue alone (control-plane/scripts/bench-expiry.ts) and the full deescalation by
 * real servers (scripts/bench-deescalation.ts). The work runs in control-plane (it needs its
 * database code); this side starts each script per database and turns its JSON line into a row.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXPIRY_TARGET, expiryRow, expiryRowName, type ExpiryResult, type ExpiryScope } from './expiry-rows';
import { repoRoot } from './paths';
import { progress } from './progress';
import type { BenchRow } from './render-table';
import { skippedRow } from './render-table';

const controlPlaneDir = join(repoRoot, 'control-plane');

const scripts: Record<ExpiryScope, string> = { queue: 'scripts/bench-expiry.ts', lifecycle: 'scripts/bench-deescalation.ts' };

/** Runs one half's script for one database; its progress lines pass through to stderr. */
function runExpiry(mode: 'postgres' | 'pglite', scope: ExpiryScope): Promise<ExpiryResult | { skipped: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', scripts[scope], mode], {
      cwd: controlPlaneDir,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) return reject(new Error(`${scripts[scope]} ${mode} exited with ${code}`));
      resolve(JSON.parse(last));
    });
  });
}

export async function benchExpiry(): Promise<BenchRow[]> {
  const modes = ['postgres', 'pglite'] as const;
  if (!existsSync(join(controlPlaneDir, 'src', 'generated', 'prisma', 'client.ts'))) {
    return modes.map((m) => skippedRow(expiryRowName(m), EXPIRY_TARGET, 'no generated Prisma client (run `pnpm build`)'));
  }
  const rows: BenchRow[] = [];
  for (const scope of ['queue', 'lifecycle'] as const) {
    for (const mode of modes) {
      progress(`expiry (${scope}): ${mode}`);
      try {
        rows.push(expiryRow(await runExpiry(mode, scope), mode, scope));
      } catch (error) {
        rows.push({ benchmark: expiryRowName(mode, 10_000, scope), measured: `error: ${(error as Error).message}`, target: scope === 'lifecycle' ? EXPIRY_TARGET : '—', ok: false });
      }
    }
  }
  return rows;
}
