import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// The e2e suite's tooling (test/src): the pinned CLIs, the provider build and its mirror, a workspace.
import { ensureBuilds } from '../../../test/src/ensure-builds';
import { ensureClis, type CliBinary } from '../../../test/src/ensure-clis';
import { snapshotMirror } from '../../../test/src/mirror-snapshot';
import { Workspace } from '../../../test/src/workspace';

const exampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The files `main.tf` is made of: the configuration and the two it reads with `file()`. */
const terraformFiles = ['main.tf', 'impl.js', 'impersonation_lambda.js'];

/** The CLI and a private copy of the provider mirror that {@link applyExampleTerraform} uses. */
export interface TerraformTools {
  cli: CliBinary;
  mirror: string;
  dispose(): void;
}

/**
 * Finds the pinned CLIs (`tofu`, else the first one) and builds the provider and control plane
 * when stale. Call it before starting a control plane process: the build rewrites its `dist`.
 */
export async function prepareTerraform(): Promise<TerraformTools> {
  const clis = await ensureClis();
  const cli = clis.find((c) => c.flavor === 'tofu') ?? clis[0];
  if (!cli) throw new Error('no tofu or terraform CLI (scripts/install-clis.sh)');
  await ensureBuilds();
  const mirror = snapshotMirror();
  return { cli, mirror: mirror.dir, dispose: mirror.dispose };
}

/**
 * Applies the example's own `main.tf`, unchanged, with the built provider from the dev mirror,
 * against the control plane at `apiUrl` as `token`. What the demo runs on is then what the
 * example's Terraform created, not a copy of it made by hand.
 */
export async function applyExampleTerraform(tools: TerraformTools, { apiUrl, token, org }: { apiUrl: string; token: string; org: string }): Promise<void> {
  // Only the Terraform files: the example's node_modules and test artifacts stay out of the workspace.
  const source = mkdtempSync(path.join(os.tmpdir(), 'opensym-impersonation-demo-tf-'));
  let ws: Workspace | undefined;
  try {
    for (const file of terraformFiles) cpSync(path.join(exampleDir, file), path.join(source, file));
    ws = Workspace.fromDirectory(tools.cli, source, { mirror: tools.mirror, apiUrl, token, org });
    await ws.ok(['init', '-input=false', '-no-color']);
    await ws.ok(['apply', '-input=false', '-no-color', '-auto-approve']);
  } finally {
    ws?.dispose();
    rmSync(source, { recursive: true, force: true });
  }
}
