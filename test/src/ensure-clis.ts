/** Finds (building once if needed) the Terraform-compatible CLIs the scenarios run under. */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { progress } from './progress';
import { repoRoot } from './paths';
import { runProcess, describeResult } from './run-process';

/** One CLI binary to drive, with a short name used in test titles. */
export interface CliBinary {
  /** e.g. `tofu-1.12.6`, `terraform-1.5.7`, `terraform-1.11.4`. */
  name: string;
  /** `tofu` or `terraform`. */
  flavor: 'tofu' | 'terraform';
  version: string;
  path: string;
}

/**
 * Builds the pinned CLIs with scripts/install-clis.sh (cached under ~/.cache/opensym) and adds the
 * `terraform` on PATH when it is a different version, so the matrix covers both tools and both
 * old and new Terraform.
 */
export async function ensureClis(): Promise<CliBinary[]> {
  progress('ensuring CLIs (scripts/install-clis.sh tofu terraform)');
  const script = await runProcess('bash', [path.join(repoRoot, 'scripts/install-clis.sh'), 'tofu', 'terraform'], {
    cwd: repoRoot,
    timeoutMs: 30 * 60_000,
  });
  if (script.code !== 0) throw new Error(describeResult('install-clis.sh', script));
  const binDir = script.stdout.trim().split('\n').at(-1)!.trim();
  const clis: CliBinary[] = [];
  for (const flavor of ['tofu', 'terraform'] as const) {
    const binary = path.join(binDir, flavor);
    clis.push({ ...(await identify(binary)), path: binary });
  }
  const onPath = await whichTerraform();
  if (onPath !== undefined) {
    const found = await identify(onPath);
    if (!clis.some((c) => c.flavor === found.flavor && c.version === found.version)) clis.push({ ...found, path: onPath });
  }
  progress(`CLIs: ${clis.map((c) => `${c.name} (${c.path})`).join(', ')}`);
  return clis;
}

/** Picks CLIs by name prefix, e.g. `OPENSYM_E2E_CLIS=tofu,terraform-1.5.7`. */
export function selectClis(all: CliBinary[], filter: string | undefined): CliBinary[] {
  if (filter === undefined || filter.trim() === '') return all;
  const wanted = filter
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return all.filter((cli) => wanted.some((w) => cli.name === w || cli.name.startsWith(`${w}-`) || cli.flavor === w));
}

/** Reads a binary's version with `version -json`, which both tools support. */
async function identify(binary: string): Promise<Omit<CliBinary, 'path'>> {
  const result = await runProcess(binary, ['version', '-json'], {
    timeoutMs: 60_000,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
  });
  if (result.code !== 0) throw new Error(describeResult(`${binary} version -json`, result));
  const parsed = JSON.parse(result.stdout) as { terraform_version?: string };
  const version = parsed.terraform_version ?? 'unknown';
  const real = realpathSync(binary);
  const flavor = path.basename(real).startsWith('tofu') ? 'tofu' : 'terraform';
  return { name: `${flavor}-${version}`, flavor, version };
}

/** The first `terraform` on PATH that is not one of our cached builds. */
async function whichTerraform(): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'terraform');
    if (dir !== '' && existsSync(candidate) && !realpathSync(candidate).includes(`${path.sep}.cache${path.sep}opensym`)) {
      return candidate;
    }
  }
  return undefined;
}
