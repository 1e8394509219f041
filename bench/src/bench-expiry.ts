/**
 * Benchmark 4: lag between expiry and deescalation for 10,000 grants expiring together. The work
 * runs in control-plane/scripts/bench-expiry.ts (it needs the control plane's queue and database
 * code); this side starts it per database and turns its JSON line into a row.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXPIRY_TARGET, expiryRow, expiryRowName, type ExpiryResult } from './expiry-rows';
import { repoRoot } from './paths';
import { progress } from './progress';
import type { BenchRow } from './render-table';
import { skippedRow } from './render-table';

const controlPlaneDir = join(repoRoot, 'control-plane');

/** Runs the script for one database; its progress lines pass through to stderr. */
function runExpiry(mode: 'postgres' | 'pglite'): Promise<ExpiryResult | { skipped: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-expiry.ts', mode], { cwd: controlPlaneDir, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) return reject(new Error(`bench-expiry.ts ${mode} exited with ${code}`));
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
  for (const mode of modes) {
    progress(`expiry: ${mode}`);
    try {
      rows.push(expiryRow(await runExpiry(mode), mode));
    } catch (error) {
      rows.push({ benchmark: expiryRowName(mode), measured: `error: ${(error as Error).message}`, target: EXPIRY_TARGET, ok: false });
    }
  }
  return rows;
}
