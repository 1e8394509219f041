/** Locations in the repository the harness builds, runs and copies from. */
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root (two levels above this file). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The filesystem mirror the provider build writes (`opensym.dev/opensym/sym/<version>/<os_arch>/...`). */
export const mirrorDir = path.join(repoRoot, 'dist', 'terraform-mirror');

/** The provider package directory inside the mirror. */
export const providerPackageDir = path.join(mirrorDir, 'opensym.dev', 'opensym', 'sym', providerVersion(), 'linux_amd64');

/** The provider's version, as its build names the mirror folder (provider/package.json). */
function providerVersion(): string {
  return (JSON.parse(readFileSync(path.join(repoRoot, 'provider', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The examples the lifecycle scenario applies. */
export const examplesDir = path.join(repoRoot, 'examples');

/** Fixture configurations for the invalid-config checks. */
export const fixturesDir = path.join(repoRoot, 'test', 'e2e', 'fixtures');
