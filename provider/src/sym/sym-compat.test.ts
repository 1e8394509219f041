// Sym's rules, not stricter (issue 10): behaviours of symopsio/sym 3.x and its API that a
// configuration or state written for it relies on, against the real specs.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { resources, terraformView } from '@opensym/schemas';
import { FakeEntityApi } from '../client/fake-entity-api';
import { FrameworkProvider } from '../framework/framework-provider';
import { buildResources } from '../resources/build-resources';
import { createSymProvider } from './sym-provider';

type Obj = Record<string, any>;

const wire = { provider: { version: 0, block: { attributes: [], block_types: [] } }, resource_schemas: {}, data_source_schemas: {} };
const cwd = mkdtempSync(join(tmpdir(), 'sym-compat-'));

describe('Sym compatibility', () => {
  let api: FakeEntityApi;
  let provider: FrameworkProvider;

  beforeEach(async () => {
    api = new FakeEntityApi();
    provider = new FrameworkProvider({
      wireSchemas: wire,
      resources: buildResources(resources.map(terraformView)),
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
});
