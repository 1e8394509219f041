// Sym's rules, not stricter (issue 10): behaviours of symopsio/sym 3.x and its API that a
// configuration or state written for it relies on, against the real specs.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { resourceByKind, resources, type EntityKind } from '@opensym/schemas';
import { FakeEntityApi } from '../client/fake-entity-api';
import { FrameworkProvider } from '../framework/framework-provider';
import { sourceHash } from '../framework/source-or-path';
import type { TfValue } from '../protocol/values';
import { buildResources } from '../resources/build-resources';
import { slugOf } from '../resources/find-entity';
import { createSymProvider } from './sym-provider';

type Obj = Record<string, any>;

const wire = { provider: { version: 0, block: { attributes: [], block_types: [] } }, resource_schemas: {}, data_source_schemas: {} };
const cwd = mkdtempSync(join(tmpdir(), 'sym-compat-'));

describe('Sym compatibility', () => {
  let api: FakeEntityApi;
  let provider: FrameworkProvider;

  beforeEach(async () => {
    api = new FakeEntityApi();
    // As the control plane: error loggers and log destinations are listed by Sym's derived slug.
    api.slugOf = (kind, e) => slugOf(kind, e, resourceByKind(kind as EntityKind)?.identity);
    provider = new FrameworkProvider({
      wireSchemas: wire,
      resources: buildResources(resources),
      provider: createSymProvider({ connect: () => api, env: { SYM_JWT: 't' } }),
      cwd,
    });
    assert.deepEqual(await provider.configureProvider({ api_url: null, org: null, token: null, jwt_env_var: null }, '1.11.0'), []);
  });

  it('imports sym_error_logger by the slug of its destination, as Sym (`terraform import sym_error_logger.this sym-errors`)', async () => {
    const logger = api.seed('error-loggers', { integration_id: 'i-1', destination: '#Sym-Errors' });
    api.seed('error-loggers', { integration_id: 'i-1', destination: '#other' });
    for (const id of ['sym-errors', '#sym-errors', 'SYM-ERRORS']) {
      const res = await provider.importResourceState('sym_error_logger', id);
      assert.deepEqual(res.diagnostics, [], id);
      assert.equal((res.imported[0]!.state as Obj).id, logger.id, id);
    }
    const missing = await provider.importResourceState('sym_error_logger', 'nope');
    assert.match(missing.diagnostics[0]!.detail!, /no sym_error_logger with slug "nope"/);
    // Two loggers on one channel share the slug: import by id then.
    api.seed('error-loggers', { integration_id: 'i-2', destination: 'sym-errors' });
    const ambiguous = await provider.importResourceState('sym_error_logger', 'sym-errors');
    assert.equal(ambiguous.diagnostics[0]!.summary, 'Ambiguous import ID');
  });

  it('imports sym_log_destination by type:slug, the slug being the stream name or URL, as Sym', async () => {
    const firehose = api.seed('log-destinations', { type: 'kinesis_firehose', integration_id: 'i-1', settings: { stream_name: 'My_Stream_Name' } });
    api.seed('log-destinations', { type: 'kinesis_data_stream', integration_id: 'i-1', settings: { stream_name: 'my_stream_name' } });
    const http = api.seed('log-destinations', { type: 'http', integration_id: null, settings: { url: 'https://logs.example.com/in' } });
    const byTypeSlug = await provider.importResourceState('sym_log_destination', 'kinesis_firehose:my_stream_name');
    assert.deepEqual(byTypeSlug.diagnostics, []);
    assert.equal((byTypeSlug.imported[0]!.state as Obj).id, firehose.id);
    const byUrl = await provider.importResourceState('sym_log_destination', 'http:https://logs.example.com/in');
    assert.equal((byUrl.imported[0]!.state as Obj).id, http.id);
    const untyped = await provider.importResourceState('sym_log_destination', 'my_stream_name');
    assert.equal(untyped.diagnostics[0]!.summary, 'Invalid import ID');
    assert.match(untyped.diagnostics[0]!.detail!, /type:slug/);
  });

  const filterSource = 'export function get_flows(user, flows) { return flows; }\n';
  const filterConfig = (implementation: string): Obj => ({ id: null, implementation, implementation_hash: null, vars: null, integrations: null });

  it('refuses a bare Python file name as an implementation (as Sym 3.x), telling to use file("...")', async () => {
    writeFileSync(join(cwd, 'impl.py'), 'from sym.sdk.annotations import reducer\n');
    const [d, ...rest] = await provider.validateResourceConfig('sym_flow', { name: 'f', environment_id: 'e', implementation: 'impl.py' });
    assert.equal(rest.length, 0);
    assert.deepEqual(d!.path, ['implementation']);
    assert.equal(d!.summary, 'Implementation values must be file contents, not file paths');
    assert.match(d!.detail!, /"impl\.py" looks like a Python file name\. Use file\("impl\.py"\)/);
    const [s] = await provider.validateResourceConfig('sym_strategy', { type: 'custom', name: 's', targets: [], implementation: 'strategies/custom_strategy.py' });
    assert.match(s!.detail!, /file\("strategies\/custom_strategy\.py"\)/);
  });

  it("reads \"file('x')\" text (how Sym's acceptance tests spell it, stored by Sym as plain text) as the file it names", async () => {
    writeFileSync(join(cwd, 'filter.js'), filterSource);
    const literal = "file('filter.js')";
    assert.deepEqual(await provider.validateResourceConfig('sym_flows_filter', filterConfig(literal)), []);
    const config = filterConfig(literal);
    const plan = await provider.planResourceChange('sym_flows_filter', null, config, config, undefined);
    assert.deepEqual(plan.diagnostics, []);
    assert.equal((plan.planned as Obj).implementation_hash, sourceHash(filterSource));
    const applied = await provider.applyResourceChange('sym_flows_filter', null, plan.planned, config, undefined);
    assert.deepEqual(applied.diagnostics, []);
    const state = applied.newState as Obj;
    assert.equal(api.entities.get('flows-filter')!.get(state.id)!.implementation, filterSource, 'the API gets the source, not the text');
    assert.equal(state.implementation, literal, 'state keeps the spelling, as in Sym');
    // Sym's state holds the same text: the refresh keeps it and the plan is empty.
    const read = (await provider.readResource('sym_flows_filter', { ...state, implementation_hash: null }, undefined)).newState as Obj;
    assert.equal(read.implementation, literal);
    const again = await provider.planResourceChange('sym_flows_filter', read as TfValue, { ...config, id: read.id, implementation_hash: read.implementation_hash }, config, undefined);
    assert.deepEqual(again.planned, read);

    const [missing, ...rest] = await provider.validateResourceConfig('sym_flows_filter', filterConfig('file("nope.js")'));
    assert.equal(rest.length, 0);
    assert.equal(missing!.summary, 'Implementation file not found');
    assert.deepEqual(missing!.path, ['implementation']);
  });

  it('names: mixed case in the configuration plans no change against the lowercase name the API keeps (as Sym)', async () => {
    const config: Obj = { id: null, name: 'Prod-Env', label: null, runtime_id: null, error_logger_id: null, log_destination_ids: null, integrations: null };
    const plan = await provider.planResourceChange('sym_environment', null, config, config, undefined);
    const created = await provider.applyResourceChange('sym_environment', null, plan.planned, config, undefined);
    assert.deepEqual(created.diagnostics, []);
    const id = (created.newState as Obj).id;
    // The control plane stores names lowercased, as Sym's API does.
    const stored = api.entities.get('environments')!.get(id)!;
    stored.name = String(stored.name).toLowerCase();
    const read = (await provider.readResource('sym_environment', created.newState, undefined)).newState as Obj;
    assert.equal(read.name, 'Prod-Env', 'the refresh keeps the spelling that means the same name');
    const same = await provider.planResourceChange('sym_environment', read as TfValue, { ...config, id, label: read.label }, config, undefined);
    assert.deepEqual(same.planned, read);

    // State taken over from Sym holds the API's lowercase name; the configuration says Prod-Env.
    const symState = { ...read, name: 'prod-env', label: '', log_destination_ids: [], integrations: {} };
    const upper = { ...config, name: 'PROD-ENV' };
    const fromSym = await provider.planResourceChange('sym_environment', symState as TfValue, { ...upper, id, label: '', log_destination_ids: [], integrations: {} }, upper, undefined);
    assert.deepEqual(fromSym.planned, symState, 'no change: the prior spelling is planned (Terraform accepts the prior value unchanged)');

    const renamed = { ...config, name: 'staging' };
    const rename = await provider.planResourceChange('sym_environment', read as TfValue, { ...renamed, id, label: read.label }, renamed, undefined);
    assert.equal((rename.planned as Obj).name, 'staging');
  });

  it('exactly the resources Sym declares with RequiredCaseInsensitiveString have case-insensitive names', () => {
    const insensitive = resources.filter((r) => r.attributes.name?.caseInsensitive).map((r) => r.typeName);
    assert.deepEqual(insensitive.sort(), ['sym_environment', 'sym_flow', 'sym_integration', 'sym_runtime', 'sym_secrets', 'sym_strategy', 'sym_target']);
  });
});
