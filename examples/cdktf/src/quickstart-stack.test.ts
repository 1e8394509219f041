/** Shape of the synthesized quickstart: what `tofu apply` in the e2e suite relies on. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { App } from 'cdktf';
import { QuickstartStack } from './quickstart-stack';

/** Synthesizes the stack the way main.ts does, into a temporary directory, and parses it. */
async function synthQuickstart(): Promise<any> {
  const outDir = await mkdtemp(join(tmpdir(), 'opensym-cdktf-synth-'));
  try {
    const app = new App({ outdir: outDir });
    new QuickstartStack(app, 'quickstart');
    app.synth();
    return JSON.parse(await readFile(join(outDir, 'stacks', 'quickstart', 'cdk.tf.json'), 'utf8'));
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

test('synthesized JSON targets opensym.dev/opensym/sym with an env-configured provider', async () => {
  const tf = await synthQuickstart();
  assert.deepEqual(tf.terraform.required_providers, { sym: { source: 'opensym.dev/opensym/sym' } });
  // An empty block: api_url and token come from SYM_API_URL / SYM_JWT at plan time.
  assert.deepEqual(tf.provider, { sym: [{}] });
  assert.deepEqual(tf.terraform.backend, { local: { path: 'terraform.tfstate' } });
  assert.deepEqual(tf.output.flow_id, { value: '${sym_flow.access.id}' });
});

test('synthesized JSON holds the quickstart resources, wired by reference', async () => {
  const { resource } = await synthQuickstart();
  assert.deepEqual(Object.keys(resource).sort(), ['sym_environment', 'sym_flow', 'sym_integration', 'sym_secret', 'sym_secrets', 'sym_strategy', 'sym_target']);
  assert.deepEqual({ type: resource.sym_integration.slack.type, external_id: resource.sym_integration.slack.external_id }, { type: 'slack', external_id: 'T0123456789' });
  assert.deepEqual(resource.sym_integration.slack.settings, { bot_token_secret: '${sym_secret.slack_bot_token.id}', signing_secret_secret: '${sym_secret.slack_signing_secret.id}' });
  assert.deepEqual(resource.sym_environment.this.integrations, { slack_id: '${sym_integration.slack.id}' });
  assert.equal(resource.sym_target.staging.type, 'custom');
  assert.deepEqual(resource.sym_target.staging.settings, { identifier: 'staging' });

  const strategy = resource.sym_strategy.custom;
  assert.equal(strategy.type, 'custom');
  assert.deepEqual(strategy.targets, ['${sym_target.staging.id}']);
  // Source inlined, not a path: the JSON must apply from any directory.
  assert.match(strategy.implementation, /class QuickstartStrategy extends AccessStrategy/);

  const flow = resource.sym_flow.access;
  assert.equal(flow.environment_id, '${sym_environment.this.id}');
  assert.match(flow.implementation, /export function get_approvers/);
  // `params` is a list block of at most one (as in Sym); CDKTF writes such a block as one JSON object.
  assert.equal(flow.params.strategy_id, '${sym_strategy.custom.id}');
  assert.deepEqual(flow.params.prompt_field, [
    { name: 'reason', label: 'Why do you need access?', type: 'string', required: true },
    { name: 'duration', label: 'For how long?', type: 'duration', required: false, allowed_values: ['30m', '1h', '1d'] },
  ]);
});
