/**
 * Benchmark: Python hook calls in the sandbox's CPython (WASI) engine against the budgets of
 * sandbox/DECISIONS.md §8. The work runs in control-plane/scripts/bench-python.ts (it needs the
 * control plane's sandbox); this side starts it and turns its JSON line into rows.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { progress } from './progress';
import { PYTHON_ROW_NAMES, type PythonResult, pythonRows } from './python-rows';
import type { BenchRow } from './render-table';

function runPythonBench(): Promise<PythonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-python.ts'], { cwd: join(repoRoot, 'control-plane'), stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) return reject(new Error(`bench-python.ts exited with ${code}`));
      resolve(JSON.parse(last) as PythonResult);
    });
  });
}

/** Runs the Python benchmark; a failure fails every one of its rows. */
export async function benchPython(): Promise<BenchRow[]> {
  progress('python: hook calls in the CPython (WASI) engine');
  try {
    return pythonRows(await runPythonBench());
  } catch (error) {
    return PYTHON_ROW_NAMES.map((benchmark) => ({ benchmark, measured: `error: ${(error as Error).message}`, target: '—', ok: false }));
  }
}
