/** A private copy of the provider mirror for one suite run. */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mirrorDir, providerPackageDir } from './paths';

/**
 * Copies dist/terraform-mirror to a temp directory. Other engineers rebuild the provider while the
 * suite runs, and every CLI command re-hashes the package against the lock file written at init,
 * so a shared mirror fails runs mid-scenario ("does not match any of the checksums").
 */
export function snapshotMirror(): { dir: string; dispose: () => void } {
  if (!existsSync(path.join(providerPackageDir, 'terraform-provider-sym'))) throw new Error(`provider mirror missing at ${mirrorDir}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'opensym-mirror-'));
  cpSync(mirrorDir, dir, { recursive: true });
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', dispose);
  return { dir, dispose };
}
