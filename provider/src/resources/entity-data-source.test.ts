import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSourceSpec } from '@opensym/schemas';
import { FakeEntityApi } from '../client/fake-entity-api';
import { fixtureTypedSpec } from '../framework/fixture-specs';
import { FrameworkProvider } from '../framework/framework-provider';
import { buildDataSources } from './build-resources';
import { fixedProvider } from '../framework/fixture-provider';

const dsSpec: DataSourceSpec = { typeName: 'sym_integration', kind: 'integrations', description: '', lookup: ['type', 'name'], resource: 'sym_integration', example: '' };
const wire = {
  provider: { version: 0, block: { attributes: [], block_types: [] } },
  resource_schemas: {},
  data_source_schemas: {
    sym_integration: { version: 0, block: { attributes: ['id', 'type', 'name', 'settings'].map((name) => ({ name, type: 'string' })), block_types: [] } },
  },
};

describe('EntityDataSource', () => {
  it('finds by type + name (case-insensitive) and returns every attribute known', async () => {
    const api = new FakeEntityApi();
    const e = api.seed('integrations', { type: 'slack', name: 'My-Slack', settings: { a: 'b' }, created_at: 'x' });
    api.seed('integrations', { type: 'pagerduty', name: 'my-slack', settings: null });
    const p = new FrameworkProvider({ wireSchemas: wire, resources: [], dataSources: buildDataSources([dsSpec], [fixtureTypedSpec], wire), provider: fixedProvider(api) });
    const got = await p.readDataSource('sym_integration', { id: null, type: 'slack', name: 'my-slack', settings: null });
    assert.deepEqual(got.diagnostics, []);
    assert.deepEqual(got.state, { id: e.id, type: 'slack', name: 'my-slack', settings: { a: 'b' } });
    const missing = await p.readDataSource('sym_integration', { id: null, type: 'slack', name: 'nope', settings: null });
    assert.equal(missing.diagnostics[0].summary, 'No sym_integration found');
  });
});
