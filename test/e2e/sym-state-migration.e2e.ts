/**
 * Taking over state, with real `tofu` and `terraform`: a state file as Sym's provider
 * (symopsio/sym 3.x) leaves it — `sym_flow` at schema version 1 with list `params`, `""` for
 * unset strings, `{}`/`[]` for empty maps and lists — moved over with `state replace-provider`,
 * must plan no change. The flow and strategy are Python (`file("impl.py")`), and the state holds
 * their text as Sym's provider 3.x stores it (the file's contents, no hash). OpenSym's own
 * version-0 `sym_flow` state (params as one object) is upgraded in place. The entities are made
 * through the API first, so the state's ids are real. The steps are the ones
 * docs/guides/migrating-from-sym.md gives.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ControlPlane, setupSuite, Workspace, type CliBinary, type Entity } from '../src/index';
import { fixturesDir } from '../src/paths';

const { clis, mirror } = await setupSuite();
const noInput = ['-input=false', '-no-color'];
const fixtureDir = path.join(fixturesDir, 'sym-state-takeover');
const symAddress = 'registry.terraform.io/symopsio/sym';
const openSymAddress = 'opensym.dev/opensym/sym';

let controlPlane: ControlPlane | undefined;
before(async () => {
  controlPlane = await ControlPlane.start({ label: 'sym-state-migration' });
});
after(async () => {
  await controlPlane?.stop();
});

/** The fixture in a temp dir with names made unique per CLI, so a failed run cannot collide with the next. */
function fixture(cli: CliBinary): Workspace {
  const ws = Workspace.fromDirectory(cli, fixtureDir, { mirror, apiUrl: controlPlane!.url, token: controlPlane!.token, org: controlPlane!.org });
  ws.write('main.tf', ws.read('main.tf').replaceAll('SUFFIX', cli.name));
  return ws;
}

/** The entities the configuration describes, made through the API (as an earlier Sym apply would have). */
async function createEntities(ws: Workspace, suffix: string) {
  const api = controlPlane!.api;
  const name = `takeover-${suffix}`;
  const runtime = await api.create('runtimes', { name });
  const environment = await api.create('environments', { name, runtime_id: runtime.id });
  const integration = await api.create('integrations', { type: 'custom', name, external_id: 'my-account' });
  const target = await api.create('access-targets', { type: 'custom', name, settings: { identifier: 'some-resource' } });
  const strategy = await api.create('access-strategies', {
    type: 'custom',
    name,
    integration_id: integration.id,
    targets: [target.id],
    implementation: ws.read('custom_strategy.py'),
  });
  const flow = await api.create('flows', {
    name,
    implementation: ws.read('impl.py'),
    environment_id: environment.id,
    params: { strategy_id: strategy.id, prompt_field: [{ name: 'reason', label: 'Why do you need access?', type: 'string', required: true }] },
  });
  return { runtime, environment, integration, target, strategy, flow };
}

/** The entities {@link createEntities} made, each typed by its kind. */
type TakenOver = Awaited<ReturnType<typeof createEntities>>;

type Instance = { type: string; name: string; schemaVersion: number; attributes: Record<string, unknown> };

/** A version-4 state file holding these instances under one provider address. */
function stateFile(provider: string, instances: Instance[], outputs: Record<string, unknown>): string {
  return `${JSON.stringify(
    {
      version: 4,
      terraform_version: '1.5.7',
      serial: 1,
      lineage: randomUUID(),
      outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { value: v, type: 'string' }])),
      resources: instances.map((i) => ({
        mode: 'managed',
        type: i.type,
        name: i.name,
        provider: `provider["${provider}"]`,
        instances: [{ schema_version: i.schemaVersion, attributes: i.attributes, sensitive_attributes: [] }],
      })),
      check_results: null,
    },
    null,
    2,
  )}\n`;
}

/** The state Sym's provider (an SDKv2 provider) leaves: unset strings "", empty maps {} and lists []. */
function symState(ws: Workspace, e: TakenOver): string {
  const name = String(e.flow!.name);
  return stateFile(
    symAddress,
    [
      { type: 'sym_runtime', name: 'this', schemaVersion: 0, attributes: { id: e.runtime!.id, name, label: '', context_id: '' } },
      {
        type: 'sym_environment',
        name: 'this',
        schemaVersion: 0,
        attributes: { id: e.environment!.id, name, label: '', runtime_id: e.runtime!.id, integrations: {}, error_logger_id: '', log_destination_ids: [] },
      },
      {
        type: 'sym_integration',
        name: 'custom',
        schemaVersion: 0,
        attributes: { id: e.integration!.id, type: 'custom', name, external_id: 'my-account', label: '', settings: {} },
      },
      {
        type: 'sym_target',
        name: 'custom',
        schemaVersion: 0,
        attributes: { id: e.target!.id, type: 'custom', name, label: '', settings: { identifier: 'some-resource' }, field_bindings: [] },
      },
      {
        type: 'sym_strategy',
        name: 'custom',
        schemaVersion: 0,
        attributes: {
          id: e.strategy!.id,
          type: 'custom',
          name,
          label: '',
          integration_id: e.integration!.id,
          settings: {},
          targets: [e.target!.id],
          implementation: ws.read('custom_strategy.py'),
        },
      },
      {
        type: 'sym_flow',
        name: 'this',
        schemaVersion: 1,
        attributes: {
          id: e.flow!.id,
          name,
          label: '',
          implementation: ws.read('impl.py'),
          environment_id: e.environment!.id,
          vars: {},
          params: [
            {
              strategy_id: e.strategy!.id,
              allow_revoke: true,
              schedule_deescalation: true,
              include_decision_message: false,
              allowed_sources: null,
              additional_header_text: '',
              allow_guest_interaction: false,
              prompt_field: [
                {
                  name: 'reason',
                  label: 'Why do you need access?',
                  type: 'string',
                  required: true,
                  default: '',
                  visible: true,
                  allowed_values: [],
                  prefetch: false,
                  on_change: '',
                },
              ],
            },
          ],
        },
      },
    ],
    { flow_strategy_id: e.strategy!.id },
  );
}

/** OpenSym's own state from before sym_flow version 1: the flow's params as one object, nulls for unset values. */
function openSymV0State(ws: Workspace, e: TakenOver): string {
  const name = String(e.flow!.name);
  const sym = JSON.parse(symState(ws, e)) as { resources: { type: string; provider: string; instances: { schema_version: number; attributes: Record<string, unknown> }[] }[] };
  for (const r of sym.resources) {
    r.provider = `provider["${openSymAddress}"]`;
    const inst = r.instances[0]!;
    // OpenSym writes null where Sym writes "" / {} / [].
    for (const [k, v] of Object.entries(inst.attributes)) {
      if (v === '' || (Array.isArray(v) && v.length === 0) || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) inst.attributes[k] = null;
    }
    if (r.type === 'sym_flow') {
      inst.schema_version = 0;
      inst.attributes = {
        ...inst.attributes,
        name,
        params: {
          strategy_id: e.strategy!.id,
          form_id: null,
          allow_revoke: true,
          schedule_deescalation: true,
          include_decision_message: false,
          allowed_sources: null,
          additional_header_text: null,
          allow_guest_interaction: false,
          prompt_field: [{ name: 'reason', label: 'Why do you need access?', type: 'string', required: true, default: null, visible: true, allowed_values: null, prefetch: false, on_change: null }],
        },
      };
    }
  }
  return `${JSON.stringify(sym, null, 2)}\n`;
}

/** `plan -detailed-exitcode`: 0 is "no changes"; the plan text goes into the failure message. */
async function assertNoChanges(ws: Workspace): Promise<void> {
  const result = await ws.run(['plan', ...noInput, '-detailed-exitcode']);
  assert.equal(result.code, 0, `expected no changes (exit 0), got exit ${result.code}:\n${result.stdout}\n${result.stderr}`);
}

/** Deletes what a failed test may have left, newest first, so the next test starts clean. */
async function cleanUp(ws: Workspace, entities: Record<string, Entity> | undefined): Promise<void> {
  if (ws.hasState()) await ws.run(['destroy', ...noInput, '-auto-approve']);
  const kinds = { flow: 'flows', strategy: 'access-strategies', target: 'access-targets', integration: 'integrations', environment: 'environments', runtime: 'runtimes' } as const;
  for (const [key, kind] of Object.entries(kinds)) {
    const id = entities?.[key]?.id;
    if (id) await controlPlane!.api.delete(kind, id).catch(() => undefined);
  }
}

for (const cli of clis) {
  describe(`state migration · ${cli.name}`, { timeout: 10 * 60_000 }, () => {
    test('a Sym 3.x state file, after state replace-provider, plans no changes', async () => {
      const ws = fixture(cli);
      let entities: TakenOver | undefined;
      try {
        entities = await createEntities(ws, cli.name);
        ws.write('terraform.tfstate', symState(ws, entities));
        // The guide's steps: move the state to OpenSym's address, install, plan.
        await ws.ok(['state', 'replace-provider', '-auto-approve', symAddress, openSymAddress]);
        await ws.ok(['init', ...noInput]);
        await assertNoChanges(ws);
        const strategyId = (await ws.ok(['output', '-raw', 'flow_strategy_id'])).stdout.trim();
        assert.equal(strategyId, entities.strategy!.id, 'params[0].strategy_id resolves');
        // The first apply rewrites the state in OpenSym's shape; it must still plan nothing afterwards.
        await ws.ok(['apply', ...noInput, '-auto-approve', '-refresh-only']);
        await assertNoChanges(ws);
      } finally {
        await cleanUp(ws, entities);
        ws.dispose();
      }
    });

    test("OpenSym's version-0 sym_flow state is upgraded in place to list params", async () => {
      const ws = fixture(cli);
      let entities: TakenOver | undefined;
      try {
        entities = await createEntities(ws, cli.name);
        ws.write('terraform.tfstate', openSymV0State(ws, entities));
        await ws.ok(['init', ...noInput]);
        await assertNoChanges(ws);
        await ws.ok(['apply', ...noInput, '-auto-approve', '-refresh-only']);
        const state = JSON.parse(readFileSync(path.join(ws.dir, 'terraform.tfstate'), 'utf8')) as {
          resources: { type: string; instances: { schema_version: number; attributes: { params?: unknown } }[] }[];
        };
        const flow = state.resources.find((r) => r.type === 'sym_flow')!.instances[0]!;
        assert.equal(flow.schema_version, 1);
        assert.ok(Array.isArray(flow.attributes.params) && flow.attributes.params.length === 1, JSON.stringify(flow.attributes.params));
        await assertNoChanges(ws);
      } finally {
        await cleanUp(ws, entities);
        ws.dispose();
      }
    });
  });
}
