/**
 * Plans beyond the example lifecycles: a plain replacement (delete, then create), what happens when
 * a referenced resource is replaced without create_before_destroy, and a change to one resource
 * that must not ripple into resources that merely reference its unchanged parts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ControlPlane, parseErrors, planChanges, replaceOnce, setupSuite, Workspace, type CliBinary } from '../src/index';
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

/** A fixture in a temp dir, pointed at this file's control plane. */
function fixture(cli: CliBinary, name: string): Workspace {
  return Workspace.fromDirectory(cli, path.join(fixturesDir, name), {
    mirror,
    apiUrl: controlPlane!.url,
    token: controlPlane!.token,
    org: controlPlane!.org,
  });
}

/** Saves a plan and returns its changes plus the human-readable plan for messages. */
async function planOf(ws: Workspace): Promise<{ changes: Record<string, string>; text: string }> {
  await ws.ok(['plan', ...noInput, '-out=tfplan']);
  const changes = planChanges((await ws.ok(['show', '-json', '-no-color', 'tfplan'])).stdout);
  return { changes, text: (await ws.run(['show', '-no-color', 'tfplan'])).stdout };
}

for (const cli of clis) {
  describe(`focused plans · ${cli.name}`, { timeout: 10 * 60_000 }, () => {
    test('a type change of an unreferenced resource is a plain delete-then-create', async () => {
      const ws = fixture(cli, 'target-replaced');
      try {
        await ws.ok(['init', ...noInput]);
        await ws.ok(['apply', ...noInput, '-auto-approve']);
        ws.write('main.tf', replaceOnce(ws.read('main.tf'), 'type = "custom"\n  name = "standalone"', 'type = "aws_lambda_function"\n  name = "standalone"'));
        const { changes, text } = await planOf(ws);
        assert.deepEqual(changes, { 'sym_target.standalone': 'delete-create' }, text);
        await ws.ok(['apply', ...noInput, '-auto-approve', 'tfplan']);
        const targets = await controlPlane!.api.list('access-targets');
        assert.deepEqual(targets.map((t) => `${t.type}:${t.name}`).sort(), ['aws_lambda_function:standalone', 'custom:referenced']);
      } finally {
        if (ws.hasState()) await ws.run(['destroy', ...noInput, '-auto-approve']);
        ws.dispose();
      }
    });

    test('replacing a referenced resource without create_before_destroy fails on the reference', async () => {
      const ws = fixture(cli, 'target-replaced');
      try {
        await ws.ok(['init', ...noInput]);
        await ws.ok(['apply', ...noInput, '-auto-approve']);
        ws.write('main.tf', replaceOnce(ws.read('main.tf'), 'type = "custom"\n  name = "referenced"', 'type = "aws_lambda_function"\n  name = "referenced"'));
        const { changes, text } = await planOf(ws);
        assert.deepEqual(changes, { 'sym_target.referenced': 'delete-create', 'sym_strategy.uses_referenced': 'update' }, text);
        // This is why the examples give referenced, replaceable resources create_before_destroy.
        const result = await ws.fails(['apply', ...noInput, '-auto-approve', 'tfplan']);
        const errors = parseErrors(result.stderr);
        assert.equal(errors.length, 1, result.stderr);
        assert.match(errors[0]!.text, /referenced|in use/i, result.stderr);
        assert.match(errors[0]!.text, /uses-referenced/, `the diagnostic should name the referrer:\n${result.stderr}`);
        assert.equal((await controlPlane!.api.list('access-targets')).filter((t) => t.name === 'referenced').length, 1);
      } finally {
        if (ws.hasState()) await ws.run(['destroy', ...noInput, '-auto-approve']);
        ws.dispose();
      }
    });

    test('adding a lambda_strategy keeps the ids of the existing ones known', async () => {
      const ws = fixture(cli, 'lambda-strategy-added');
      try {
        await ws.ok(['init', ...noInput]);
        await ws.ok(['apply', ...noInput, '-auto-approve']);
        const closing = 'code  = "export async function handler(event) { return { statusCode: 200 }; }"\n  }\n';
        ws.write('main.tf', replaceOnce(ws.read('main.tf'), closing, `${closing}\n  lambda_strategy {\n    id  = "second"\n    arn = "arn:aws:lambda:us-east-1:123456789012:function:second"\n  }\n`));
        const { changes, text } = await planOf(ws);
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
