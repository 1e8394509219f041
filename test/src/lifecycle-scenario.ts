/** The full lifecycle of one example under one CLI against one control plane. */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { ControlPlane } from './control-plane';
import type { CliBinary } from './ensure-clis';
import type { ExampleScenario, FileEdit } from './example-scenarios';
import { importBlock, importId, resourceKinds } from './import-ids';
import { examplesDir } from './paths';
import { progress } from './progress';
import { planChanges, planImports, stateResources, type StateResource } from './plan-changes';
import { StepRunner } from './step-runner';
import { replaceOnce } from './text-edit';
import { Workspace } from './workspace';

const noInput = ['-input=false', '-no-color'];

/**
 * init → validate → plan → apply → no drift → in-place update → replacement → import everything
 * into an empty state (half with `import ADDR ID`, half with `import {}` blocks) → no drift →
 * delete one entity through the API → plan recreates it → destroy → the API holds nothing.
 */
export async function runLifecycle(
  t: TestContext,
  run: { scenario: ExampleScenario; cli: CliBinary; controlPlane: ControlPlane; mirror: string; label: string },
): Promise<void> {
  const { scenario, cli, controlPlane, mirror, label } = run;
  const ws = Workspace.fromDirectory(cli, path.join(examplesDir, scenario.example), {
    mirror,
    apiUrl: controlPlane.url,
    token: controlPlane.token,
    org: controlPlane.org,
  });
  const steps = new StepRunner(t, label);
  const failWithServerLog = (err: unknown): never => {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${message}\n--- control plane log (tail) ---\n${controlPlane.logTail(3000)}`);
  };
  const step = (name: string, body: () => Promise<void>) => steps.step(name, () => body().catch(failWithServerLog));

  /** Saves a plan and returns its changes (address → action). */
  const plan = async (): Promise<{ changes: Record<string, string>; imports: Record<string, string> }> => {
    await ws.ok(['plan', ...noInput, '-out=tfplan']);
    const shown = await ws.ok(['show', '-json', '-no-color', 'tfplan']);
    return { changes: planChanges(shown.stdout), imports: planImports(shown.stdout) };
  };
  const applySaved = () => ws.ok(['apply', ...noInput, '-auto-approve', 'tfplan']);
  const assertNoDrift = async (when: string) => {
    const result = await ws.run(['plan', ...noInput, '-detailed-exitcode']);
    assert.equal(result.code, 0, `plan -detailed-exitcode after ${when} should exit 0 (no changes), got ${result.code}\n${result.stdout}\n${result.stderr}`);
  };
  const edit = (edits: FileEdit[]) => {
    for (const e of edits) ws.write(e.file, replaceOnce(ws.read(e.file), e.from, e.to));
  };

  let resources: StateResource[] = [];
  try {
    await step('init', async () => {
      await ws.ok(['init', ...noInput]);
    });
    await step('validate', async () => {
      await ws.ok(['validate', '-no-color']);
    });
    await step('plan creates every resource', async () => {
      const { changes } = await plan();
      assert.deepEqual(changes, Object.fromEntries(scenario.resources.map((a) => [a, 'create'])));
    });
    await step('apply', async () => {
      await ws.ok(['apply', ...noInput, '-auto-approve']);
    });
    await step('no drift after apply', () => assertNoDrift('apply'));
    await step(`in-place update of ${scenario.update.address}`, async () => {
      edit(scenario.update.edits);
      const { changes } = await plan();
      assert.deepEqual(changes, { [scenario.update.address]: 'update' });
      await applySaved();
    });
    await step(`replacement of ${scenario.replace.address}`, async () => {
      edit(scenario.replace.edits);
      const { changes } = await plan();
      assert.deepEqual(changes, { [scenario.replace.address]: scenario.replace.action, ...scenario.replace.dependents });
      await applySaved();
      await assertNoDrift('replacement');
    });
    await step('import everything into an empty state', async () => {
      const shown = await ws.ok(['show', '-json', '-no-color']);
      resources = stateResources(shown.stdout).sort((a, b) => a.address.localeCompare(b.address));
      assert.deepEqual(resources.map((r) => r.address), [...scenario.resources].sort());
      ws.remove('terraform.tfstate');
      ws.remove('terraform.tfstate.backup');
      // Alternate the two import mechanisms so every example exercises both.
      const viaCommand = resources.filter((_, i) => i % 2 === 0);
      const viaBlocks = resources.filter((_, i) => i % 2 === 1);
      for (const r of viaCommand) await ws.ok(['import', ...noInput, r.address, importId(r)]);
      ws.write('imports.tf', viaBlocks.map((r) => importBlock(r.address, importId(r))).join('\n'));
      const { changes, imports } = await plan();
      assert.deepEqual(changes, {}, 'importing must plan no changes');
      assert.deepEqual(Object.keys(imports).sort(), viaBlocks.map((r) => r.address).sort());
      await applySaved();
      ws.remove('imports.tf');
      const reimported = stateResources((await ws.ok(['show', '-json', '-no-color'])).stdout);
      for (const r of resources) {
        const again = reimported.find((x) => x.address === r.address);
        assert.ok(again, `${r.address} missing from state after import`);
        assert.equal(again.values.id, r.values.id, `${r.address} imported with a different id`);
      }
    });
    await step('no drift after import', () => assertNoDrift('import'));
    await step(`API delete of ${scenario.deleteViaApi} is planned as one create`, async () => {
      const target = resources.find((r) => r.address === scenario.deleteViaApi);
      assert.ok(target, `${scenario.deleteViaApi} not in state`);
      await controlPlane.api.delete(resourceKinds[target.type]!, String(target.values.id));
      const { changes } = await plan();
      assert.deepEqual(changes, { [scenario.deleteViaApi]: 'create' });
    });
    await step('destroy leaves nothing behind', async () => {
      await ws.ok(['destroy', ...noInput, '-auto-approve']);
      assert.deepEqual(await controlPlane.api.leftovers(), {}, 'the API still lists entities after destroy');
    });
  } finally {
    if (steps.passed || process.env.OPENSYM_E2E_KEEP !== '1') ws.dispose();
    else progress(`${label}: kept the working directory ${ws.dir}`);
  }
}
