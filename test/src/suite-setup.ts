/** The setup every e2e spec file runs first (node:test gives each file its own process). */
import { ensureBuilds } from './ensure-builds';
import { ensureClis, selectClis, type CliBinary } from './ensure-clis';
import { snapshotMirror } from './mirror-snapshot';

/**
 * CLIs to run (filtered by `OPENSYM_E2E_CLIS`) and a private copy of the provider mirror, after
 * making sure the provider and control plane are built.
 */
export async function setupSuite(): Promise<{ clis: CliBinary[]; mirror: string }> {
  const all = await ensureClis();
  await ensureBuilds();
  return { clis: selectClis(all, process.env.OPENSYM_E2E_CLIS), mirror: snapshotMirror().dir };
}
