// Plan time: the provider refuses `integration_id` on a sym_log_destination whose type cannot use
// it (http, segment, datadog), as a diagnostic at the attribute, also when it is a reference not
// known until apply; the Kinesis types take a permission_context there.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resources, validateAgainstSpec } from '@opensym/schemas';
import { FakeEntityApi } from '../client/fake-entity-api';
import { FrameworkProvider } from '../framework/framework-provider';
import { type TfValue, UNKNOWN } from '../protocol/values';
import { buildResources } from '../resources/build-resources';
import { createSymProvider } from './sym-provider';

const wire = { provider: { version: 0, block: { attributes: [], block_types: [] } }, resource_schemas: {}, data_source_schemas: {} };

describe('sym_log_destination integration_id at plan time', () => {
  // Wired as main.ts wires it: attribute validation from the schema model.
  const provider = new FrameworkProvider({
    wireSchemas: wire,
    resources: buildResources(resources),
    provider: createSymProvider({ connect: () => new FakeEntityApi(), env: { SYM_JWT: 't' } }),
    validate: (spec, value) => validateAgainstSpec(spec, value),
  });
  const config = (type: string, integration_id: string | typeof UNKNOWN, settings: Record<string, string>): TfValue => ({ id: null, type, integration_id, settings });

  it('is a diagnostic at integration_id for segment, datadog and http', async () => {
    for (const [type, settings] of [
      ['segment', { write_key_secret: 's' }],
      ['datadog', { api_key_secret: 's' }],
      ['http', { url: 'https://logs.example.com/in' }],
    ] as const) {
      for (const integration of ['i-1', UNKNOWN] as const) {
        const diagnostics = await provider.validateResourceConfig('sym_log_destination', config(type, integration, settings));
        assert.equal(diagnostics.length, 1, `${type}: ${JSON.stringify(diagnostics)}`);
        assert.deepEqual(diagnostics[0]!.path, ['integration_id']);
        assert.match(diagnostics[0]!.detail ?? diagnostics[0]!.summary, /Only log destinations of type "kinesis_firehose" or "kinesis_data_stream" take an integration_id/);
      }
    }
  });

  it('is accepted for the Kinesis types', async () => {
    for (const type of ['kinesis_firehose', 'kinesis_data_stream']) {
      assert.deepEqual(await provider.validateResourceConfig('sym_log_destination', config(type, UNKNOWN, { stream_name: 's' })), []);
    }
  });
});
