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
import { changedAttributes, planChanges, planImports, stateResources, type StateResource } from './plan-changes';
import { StepRunner } from './step-runner';
import { replaceOnce } from './text-edit';
import { Workspace } from './workspace';

const noInput = ['-input=false', '-no-color'];

/**
 * init → validate → plan → apply → no drift → (API holds source code, not paths; an out-of-band
 * label change is planned as one update and reverted) → in-place update → replacement → import everything
 * into an empty state (half with `import ADDR ID`, half with `import {}` blocks) → no drift →
 * delete one entity through the API → plan recreates it → destroy → the API holds nothing.
 */
export async function runLifecycle(t: TestContext, run: { scenario: ExampleScenario; cli: CliBinary; controlPlane: ControlPlane; mirror: string; label: string }): Promise<void> {
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
    throw new Error(`${message}\n--- control plane log (tail) ---\n${controlPlane.logTail(1500)}`);
  };
  const step = (name: string, body: () => Promise<void>) => steps.step(name, () => body().catch(failWithServerLog));

  /** Saves a plan and returns its changes (address → action) and imports (address → id). */
  const plan = async (): Promise<{ changes: Record<string, string>; imports: Record<string, string>; json: string }> => {
    await ws.ok(['plan', ...noInput, '-out=tfplan']);
    const shown = await ws.ok(['show', '-json', '-no-color', 'tfplan']);
    return { changes: planChanges(shown.stdout), imports: planImports(shown.stdout), json: shown.stdout };
  };
  /** Saves a plan and asserts its changes; a mismatch shows the human-readable plan. */
  const assertPlan = async (expected: Record<string, string>, message: string) => {
    const planned = await plan();
    try {
      assert.deepEqual(planned.changes, expected, message);
    } catch (err) {
      const text = (await ws.run(['show', '-no-color', 'tfplan'])).stdout;
      (err as Error).message += `\n--- plan ---\n${text}`;
      throw err;
    }
    return planned;
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
      await assertPlan(Object.fromEntries(scenario.resources.map((a) => [a, 'create'])), 'the first plan should create every resource');
    });
    await step('apply', async () => {
      await ws.ok(['apply', ...noInput, '-auto-approve']);
    });
    await step('no drift after apply', () => assertNoDrift('apply'));
    await step('the API holds implementations as source code', async () => {
      const applied = stateResources((await ws.ok(['show', '-json', '-no-color'])).stdout);
      for (const r of applied.filter((x) => ['sym_flow', 'sym_strategy', 'sym_flows_filter'].includes(x.type))) {
        const entity = await controlPlane.api.get(resourceKinds[r.type]!, String(r.values.id));
        const implementation = 'implementation' in entity ? entity.implementation : null;
        if (implementation === null || implementation === undefined) continue;
        assert.match(String(implementation), /\bexport\b/, `${r.address}: the API should hold the module source, not ${JSON.stringify(implementation)}`);
      }
    });
    await step('an out-of-band label change is planned as one update and reverted', async () => {
      const env = stateResources((await ws.ok(['show', '-json', '-no-color'])).stdout).find((r) => r.address === 'sym_environment.this');
      assert.ok(env, 'sym_environment.this not in state');
      const id = String(env.values.id);
      await controlPlane.api.patch('environments', id, { label: 'changed outside Terraform' });
      await assertPlan({ 'sym_environment.this': 'update' }, 'an out-of-band label change should plan one update');
      await applySaved();
      assert.equal((await controlPlane.api.get('environments', id)).label, env.values.label ?? null);
    });
    await step(`in-place update of ${scenario.update.address}`, async () => {
      edit(scenario.update.edits);
      await assertPlan({ [scenario.update.address]: 'update' }, 'the edit should plan exactly one in-place update');
      await applySaved();
    });
    await step(`replacement of ${scenario.replace.address}`, async () => {
      edit(scenario.replace.edits);
      await assertPlan(
        { [scenario.replace.address]: scenario.replace.action, ...scenario.replace.dependents },
        'the type change should replace exactly that resource and update only the expected dependents',
      );
      await applySaved();
      await assertNoDrift('replacement');
    });
    await step('import everything into an empty state', async () => {
      const shown = await ws.ok(['show', '-json', '-no-color']);
      resources = stateResources(shown.stdout).sort((a, b) => a.address.localeCompare(b.address));
      assert.deepEqual(
        resources.map((r) => r.address),
        [...scenario.resources].sort(),
      );
      ws.remove('terraform.tfstate');
      ws.remove('terraform.tfstate.backup');
      // Alternate the two import mechanisms so every example exercises both.
      const viaCommand = resources.filter((_, i) => i % 2 === 0);
      const viaBlocks = resources.filter((_, i) => i % 2 === 1);
      for (const r of viaCommand) await ws.ok(['import', ...noInput, r.address, importId(r)]);
      ws.write('imports.tf', viaBlocks.map((r) => importBlock(r.address, importId(r))).join('\n'));
      const rewrites = scenario.importRewritesPath ?? [];
      const { imports, json } = await assertPlan(
        Object.fromEntries(rewrites.map((a) => [a, 'update'])),
        rewrites.length === 0 ? 'importing must plan no changes' : `importing may only rewrite implementation paths of ${rewrites.join(', ')}`,
      );
      for (const address of rewrites) {
        assert.deepEqual(changedAttributes(json, address), ['implementation'], `${address}: only the implementation text → path rewrite is expected after import`);
      }
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
      await assertPlan({ [scenario.deleteViaApi]: 'create' }, 'an entity deleted through the API should be planned as one create');
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
