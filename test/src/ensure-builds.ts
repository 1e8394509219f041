/** Builds the provider mirror and the control plane when their outputs are missing or stale. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { progress } from './progress';
import { providerPackageDir, repoRoot } from './paths';
import { describeResult, runProcess } from './run-process';

/** One package build: its pnpm filter, the output that proves it ran, and the sources it reads. */
interface BuildTarget {
  filter: string;
  output: string;
  sources: string[];
}

/** The control plane's built entry point. */
export const controlPlaneEntry = path.join(repoRoot, 'control-plane', 'dist', 'server.js');

const targets: BuildTarget[] = [
  {
    filter: '@opensym/provider',
    output: path.join(providerPackageDir, 'terraform-provider-sym'),
    sources: ['provider', 'schemas'],
  },
  {
    filter: '@opensym/control-plane',
    output: controlPlaneEntry,
    sources: ['control-plane', 'schemas'],
  },
];

/**
 * Runs `pnpm --filter <pkg> build` for every output that is missing or older than its sources, so
 * the suite never tests a stale provider. `OPENSYM_E2E_SKIP_BUILD=1` trusts whatever is built.
 */
export async function ensureBuilds(): Promise<void> {
  for (const target of targets) {
    if (process.env.OPENSYM_E2E_SKIP_BUILD === '1' && existsSync(target.output)) continue;
    const reason = staleReason(target);
    if (reason === undefined) continue;
    progress(`building ${target.filter} (${reason})`);
    const result = await runProcess('pnpm', ['--filter', target.filter, 'build'], { cwd: repoRoot, timeoutMs: 10 * 60_000 });
    if (result.code !== 0) throw new Error(describeResult(`pnpm --filter ${target.filter} build`, result));
    if (!existsSync(target.output)) throw new Error(`${target.filter} build succeeded but ${target.output} is missing`);
  }
}

/** Why a target needs building, or undefined when its output is newer than every source file. */
function staleReason(target: BuildTarget): string | undefined {
  if (!existsSync(target.output)) return `${path.relative(repoRoot, target.output)} is missing`;
  const built = statSync(target.output).mtimeMs;
  for (const dir of target.sources) {
    const newer = newestFile(path.join(repoRoot, dir));
    if (newer !== undefined && newer.mtimeMs > built) return `${path.relative(repoRoot, newer.file)} changed`;
  }
  return undefined;
}

/** The most recently modified file under `dir`, skipping build outputs and dependencies. */
function newestFile(dir: string): { file: string; mtimeMs: number } | undefined {
  let best: { file: string; mtimeMs: number } | undefined;
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const mtimeMs = statSync(full).mtimeMs;
        if (best === undefined || mtimeMs > best.mtimeMs) best = { file: full, mtimeMs };
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return best;
}
