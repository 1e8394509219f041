/** Locations of the built artifacts the benchmarks drive, resolved from the repository root. */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The filesystem mirror the provider build writes (`HOST/NS/TYPE/VERSION/OS_ARCH/...`). */
export const providerMirrorDir = join(repoRoot, 'dist', 'terraform-mirror');

/**
 * The built control plane entry point; `OPENSYM_BENCH_CONTROL_PLANE` names another build's
 * `server.js` (e.g. an older commit's worktree), so two builds are measured by the same harness.
 */
export const controlPlaneServer = process.env.OPENSYM_BENCH_CONTROL_PLANE ?? join(repoRoot, 'control-plane', 'dist', 'server.js');

/** Where scripts/install-clis.sh caches tofu, terraform and terraform-provider-random. */
export const cliBinDir = join(process.env.OPENSYM_CLI_CACHE ?? join(homedir(), '.cache', 'opensym'), 'bin');

/** Terraform's name for this machine's platform, e.g. `linux_amd64`. */
export const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** Compares semver-ish versions numerically, part by part. */
function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `tofu` from the CLI cache: the unversioned link, else the newest `tofu-X.Y.Z` (the link is made last). */
export function tofuBinary(): string | null {
  if (existsSync(join(cliBinDir, 'tofu'))) return join(cliBinDir, 'tofu');
  if (!existsSync(cliBinDir)) return null;
  const versions = readdirSync(cliBinDir)
    .filter((name) => /^tofu-\d/.test(name))
    .map((name) => name.slice('tofu-'.length))
    .sort(compareVersions);
  return versions.length ? join(cliBinDir, `tofu-${versions[versions.length - 1]}`) : null;
}

/** The launcher of the newest `opensym.dev/opensym/sym` version in the mirror, or null. */
export function providerLauncher(): string | null {
  const typeDir = join(providerMirrorDir, 'opensym.dev', 'opensym', 'sym');
  if (!existsSync(typeDir)) return null;
  const versions = readdirSync(typeDir).sort(compareVersions).reverse();
  for (const version of versions) {
    const launcher = join(typeDir, version, platform, 'terraform-provider-sym');
    if (existsSync(launcher)) return launcher;
  }
  return null;
}
