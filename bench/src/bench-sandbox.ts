/**
 * Benchmark 5: sandbox hook call overhead, cold and warm, with node:vm as a reference. The work
 * runs in control-plane/scripts/bench-sandbox.ts (it needs the control plane's sandbox); this
 * side starts it and turns its JSON line into rows.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { progress } from './progress';
import type { BenchRow } from './render-table';
import { SANDBOX_ROW_NAMES, sandboxRows, type SandboxResult } from './sandbox-rows';

const controlPlaneDir = join(repoRoot, 'control-plane');

/** Runs the script; its progress lines pass through to stderr. */
function runSandboxBench(): Promise<SandboxResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-sandbox.ts'], { cwd: controlPlaneDir, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) return reject(new Error(`bench-sandbox.ts exited with ${code}`));
      resolve(JSON.parse(last) as SandboxResult);
    });
  });
}

/** Runs the sandbox benchmark; a failure fails every one of its rows. */
export async function benchSandbox(): Promise<BenchRow[]> {
  progress('sandbox: hook call overhead');
  try {
    return sandboxRows(await runSandboxBench());
  } catch (error) {
    return SANDBOX_ROW_NAMES.map((benchmark) => ({ benchmark, measured: `error: ${(error as Error).message}`, target: '—', ok: false }));
  }
}
