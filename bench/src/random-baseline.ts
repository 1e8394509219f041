/**
 * The Go provider the plan benchmark compares against: terraform-provider-random 3.9.0 from
 * scripts/install-clis.sh when it is built, else bench/go-baseline (the same `random_id` on the
 * same terraform-plugin-framework, protocol 5), built here once and cached by source hash.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliBinDir } from './paths';
import { progress } from './progress';
import { runCommand } from './run-command';

/** A Go provider binary serving `random_id`, and the version to install it as. */
export interface RandomProvider {
  binary: string;
  version: string;
  /** How the table names it. */
  label: string;
}

const baselineDir = fileURLToPath(new URL('../go-baseline', import.meta.url));

/** Hash of the baseline's sources, so an edit rebuilds it and an unchanged one is reused. */
function baselineHash(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(baselineDir)
    .filter((n) => /\.go$|^go\.(mod|sum)$/.test(n))
    .sort()) {
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(join(baselineDir, name)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/** Finds (or builds) the Go provider; throws with a reason when neither is possible. */
export async function randomProvider(): Promise<RandomProvider> {
  const real = join(cliBinDir, 'terraform-provider-random-3.9.0');
  if (existsSync(real)) return { binary: real, version: '3.9.0', label: 'random_id, terraform-provider-random 3.9.0' };

  const label = 'random_id, Go plugin-framework baseline';
  const binary = join(cliBinDir, `bench-random-baseline-${baselineHash()}`);
  if (existsSync(binary)) return { binary, version: '0.1.0', label };
  progress(`plan: ${real} missing; building the Go baseline provider from bench/go-baseline (once)`);
  const env = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
  const built = await runCommand('go', ['build', '-trimpath', '-o', `${binary}.tmp`, '.'], { cwd: baselineDir, env }).catch((error: Error) => ({ code: -1, stderr: error.message, stdout: '', ms: 0 }));
  if (built.code !== 0) throw new Error(`no terraform-provider-random and the Go baseline did not build: ${built.stderr.slice(-300)}`);
  renameSync(`${binary}.tmp`, binary);
  return { binary, version: '0.1.0', label };
}
