/**
 * `tofu destroy` while a grant is active: the control plane refuses to delete the flow its
 * request needs (409 still_referenced), the provider shows that as an error on the `sym_flow`
 * naming the request, and nothing is destroyed. After a revoke takes the access back, the same
 * destroy succeeds. A custom strategy that calls nothing, on PGlite, one CLI.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectStatus } from '../src/api-call';
import { ControlPlane, parseErrors, progress, setupSuite, Workspace, type CliBinary } from '../src/index';

const { clis, mirror } = await setupSuite();
const noInput = ['-input=false', '-no-color'];
const cli: CliBinary | undefined = clis.find((c) => c.flavor === 'tofu') ?? clis[0];

/** Everything a grant runs through: flow → strategy → integration → secret → source, and a target. */
const config = `terraform {
  required_providers {
    sym = {
      source  = "opensym.dev/opensym/sym"
      version = "~> 3.0"
    }
  }
}

provider "sym" {}

resource "sym_environment" "this" {
  name = "live-grant"
}

resource "sym_secrets" "this" {
  type = "env"
  name = "live-grant"
}

resource "sym_secret" "key" {
  path      = "SYM_SECRET_LIVE_GRANT_KEY"
  source_id = sym_secrets.this.id
}

resource "sym_integration" "this" {
  type        = "custom"
  name        = "live-grant"
  external_id = "account"
  settings = {
    secret_ids_json = jsonencode([sym_secret.key.id])
  }
}

resource "sym_target" "db" {
  type = "custom"
  name = "db"
  settings = {
    identifier = "db"
  }
}

resource "sym_strategy" "this" {
  type           = "custom"
  name           = "live-grant"
  integration_id = sym_integration.this.id
  targets        = [sym_target.db.id]
  implementation = "\${path.module}/strategy.js"
}

resource "sym_flow" "grant" {
  name           = "live-grant"
  implementation = file("\${path.module}/impl.js")
  environment_id = sym_environment.this.id

  params {
    strategy_id = sym_strategy.this.id

    prompt_field {
      name     = "reason"
      type     = "string"
      required = true
    }
  }
}
`;

const strategy = `import { AccessStrategy } from "sym/sdk/strategies";

export default class extends AccessStrategy {
  escalate(target_id, event) {}
  deescalate(target_id, event) {}
}
`;

async function waitForState(cp: ControlPlane, id: string, state: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = (await expectStatus(cp, 200, cp.token, 'GET', `/api/v1/requests/${id}`)).state;
    if (last === state) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`request ${id} did not reach ${state} within ${timeoutMs} ms (last: ${last})\n${cp.logTail(3000)}`);
}

describe(`destroy while a grant is live · ${cli?.name ?? 'no CLI'} · pglite`, { skip: cli === undefined ? 'no CLI selected' : false, timeout: 10 * 60_000 }, () => {
  let cp: ControlPlane;
  let source: string;
  let ws: Workspace;

  before(async () => {
    cp = await ControlPlane.start({ label: 'live-grant' });
    source = mkdtempSync(path.join(os.tmpdir(), 'opensym-live-grant-'));
    writeFileSync(path.join(source, 'main.tf'), config);
    writeFileSync(path.join(source, 'strategy.js'), strategy);
    writeFileSync(path.join(source, 'impl.js'), 'export function on_request(event) {}\n');
    ws = Workspace.fromDirectory(cli!, source, { mirror, apiUrl: cp.url, token: cp.token, org: cp.org });
    await ws.ok(['init', ...noInput]);
    await ws.ok(['apply', ...noInput, '-auto-approve']);
  });

  after(async () => {
    ws?.dispose();
    if (source) rmSync(source, { recursive: true, force: true });
    await cp?.stop();
  });

  test('destroy fails on the flow naming the active request; after revoke it succeeds', async () => {
    const person = async (email: string, role: string) => {
      const user = await expectStatus(cp, 201, cp.token, 'POST', '/api/v1/users', { email, role });
      return { id: user.id as string, token: (await expectStatus(cp, 201, cp.token, 'POST', `/api/v1/users/${user.id}/tokens`, {})).token as string };
    };
    const developer = await person('dev@example.com', 'member');
    const lead = await person('lead@example.com', 'member');
    const created = await expectStatus(cp, 201, developer.token, 'POST', '/api/v1/events/request', { flow: 'live-grant', flow_inputs: { reason: 'e2e', target: 'db' } });
    await expectStatus(cp, 200, lead.token, 'POST', `/api/v1/requests/${created.id}/approve`, {});
    await waitForState(cp, created.id, 'active');

    const refused = await ws.fails(['destroy', ...noInput, '-auto-approve']);
    const errors = parseErrors(refused.stderr + refused.stdout);
    assert.equal(errors.length, 1, `one error:\n${refused.stderr}`);
    const error = errors[0]!;
    progress(`    refused: ${error.summary}`);
    assert.equal(error.summary, 'Object still needed by live access requests');
    // A destroy's diagnostics carry no configuration range, so the CLI prints no `with` line: the
    // error follows the flow's `Destroying...` line and its detail names the resource type.
    assert.match(error.text, /Could not delete sym_flow:/);
    const flowId = (await cp.api.list('flows'))[0]!.id;
    assert.match(refused.stdout, new RegExp(`sym_flow\\.grant: Destroying\\.\\.\\. \\[id=${flowId}\\]`));
    assert.doesNotMatch(refused.stdout, /Destruction complete/, 'nothing was destroyed');
    assert.match(error.text, new RegExp(`${created.id} \\(active\\)`));
    assert.match(error.text, /Revoke them/);
    assert.match(error.text, /HTTP 409, still_referenced/);
    // The refusal stopped everything the flow depends on too: the grant can still be taken back.
    for (const kind of ['flows', 'access-strategies', 'access-targets', 'integrations', 'secrets', 'secret-sources'] as const) {
      assert.equal((await cp.api.list(kind)).length, 1, `${kind} kept`);
    }

    await expectStatus(cp, 200, developer.token, 'POST', `/api/v1/requests/${created.id}/revoke`, { reason: 'done' });
    await waitForState(cp, created.id, 'done');
    await ws.ok(['destroy', ...noInput, '-auto-approve']);
    assert.deepEqual(await cp.api.leftovers(), {}, 'destroy removed every entity');
  });
});
