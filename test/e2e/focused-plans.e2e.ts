/**
 * Plans that must stay precise beyond the example lifecycles: a change to one resource must not
 * ripple into resources that merely reference its unchanged parts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ControlPlane, planChanges, replaceOnce, setupSuite, Workspace } from '../src/index';
import { fixturesDir } from '../src/paths';

const { clis, mirror } = await setupSuite();
const noInput = ['-input=false', '-no-color'];

let controlPlane: ControlPlane | undefined;
before(async () => {
  controlPlane = await ControlPlane.start({ label: 'focused-plans' });
});
after(async () => {
  await controlPlane?.stop();
});

for (const cli of clis) {
  describe(`focused plans · ${cli.name}`, { timeout: 10 * 60_000 }, () => {
    test('adding a lambda_strategy keeps the ids of the existing ones known', async () => {
      const ws = Workspace.fromDirectory(cli, path.join(fixturesDir, 'lambda-strategy-added'), {
        mirror,
        apiUrl: controlPlane!.url,
        token: controlPlane!.token,
        org: controlPlane!.org,
      });
      try {
        await ws.ok(['init', ...noInput]);
        await ws.ok(['apply', ...noInput, '-auto-approve']);
        const closing = 'code  = "export async function handler(event) { return { statusCode: 200 }; }"\n  }\n';
        ws.write(
          'main.tf',
          replaceOnce(ws.read('main.tf'), closing, `${closing}\n  lambda_strategy {\n    id  = "second"\n    arn = "arn:aws:lambda:us-east-1:123456789012:function:second"\n  }\n`),
        );
        await ws.ok(['plan', ...noInput, '-out=tfplan']);
        const changes = planChanges((await ws.ok(['show', '-json', '-no-color', 'tfplan'])).stdout);
        const text = (await ws.run(['show', '-no-color', 'tfplan'])).stdout;
        // strategy_ids["my-lambda"] does not change, so the flow using it must not be touched.
        assert.deepEqual(changes, { 'sym_strategies.escalation_strategies': 'update' }, `only the strategy set should change:\n${text}`);
        await ws.ok(['destroy', ...noInput, '-auto-approve']);
        assert.deepEqual(await controlPlane!.api.leftovers(), {});
      } finally {
        // Best effort after a failure, so later tests on this control plane start empty.
        if (ws.hasState()) await ws.run(['destroy', ...noInput, '-auto-approve']);
        ws.dispose();
      }
    });
  });
}
