// A sym_strategy whose targets or integration do not suit its type is refused at plan, at the
// attribute, in the API's words; references not known until apply are left to the API's 422.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { integrationResource, strategyResource, targetResource } from '@opensym/schemas';
import { FakeEntityApi } from '../client/fake-entity-api';
import { FrameworkProvider } from '../framework/framework-provider';
import { UNKNOWN, type TfValue } from '../protocol/values';
import { buildResources } from '../resources/build-resources';
import { createSymProvider } from './sym-provider';

const wire = { provider: { version: 0, block: { attributes: [], block_types: [] } }, resource_schemas: {}, data_source_schemas: {} };

function strategy(over: Record<string, TfValue>): Record<string, TfValue> {
  return { id: null, type: 'aws_sso', name: 'sso', targets: [], integration_id: null, label: null, settings: null, implementation: null, implementation_hash: null, ...over };
}

describe('sym_strategy references checked at plan time', () => {
  let api: FakeEntityApi;
  let provider: FrameworkProvider;
  let ids: Record<string, string>;

  const plan = async (config: Record<string, TfValue>) => (await provider.planResourceChange('sym_strategy', null, config, config, undefined)).diagnostics;

  beforeEach(async () => {
    api = new FakeEntityApi();
    ids = {
      ps: api.seed('access-targets', { type: 'aws_sso_permission_set', name: 'admin' }).id,
      app: api.seed('access-targets', { type: 'custom', name: 'app' }).id,
      iam: api.seed('access-targets', { type: 'aws_iam_group', name: 'readonly' }).id,
      okta: api.seed('access-targets', { type: 'okta_group', name: 'eng' }).id,
      slack: api.seed('integrations', { type: 'slack', name: 'ws' }).id,
      pc: api.seed('integrations', { type: 'permission_context', name: 'runtime' }).id,
    };
    provider = new FrameworkProvider({
      wireSchemas: wire,
      resources: buildResources([strategyResource, targetResource, integrationResource]),
      provider: createSymProvider({ connect: () => api, env: { SYM_JWT: 't' } }),
    });
    assert.deepEqual(await provider.configureProvider({ api_url: null, org: null, token: null, jwt_env_var: null }, '1.11.0'), []);
  });

  it('each unsuitable target and the integration get an error at their attribute path, with the API 422 wording', async () => {
    const diags = await plan(strategy({ targets: [ids.ps, ids.app, ids.iam], integration_id: ids.slack }));
    assert.deepEqual(diags, [
      {
        severity: 'error',
        summary: 'Invalid value',
        detail: 'target app does not suit this strategy: aws_sso strategies grant aws_sso_permission_set or aws_sso_group targets, not custom',
        path: ['targets', 1],
      },
      {
        severity: 'error',
        summary: 'Invalid value',
        detail: 'target readonly does not suit this strategy: aws_sso strategies grant aws_sso_permission_set or aws_sso_group targets, not aws_iam_group',
        path: ['targets', 2],
      },
      {
        severity: 'error',
        summary: 'Invalid value',
        detail: 'integration ws does not suit this strategy: aws_sso strategies act through a permission_context or aws_sso integration, not slack',
        path: ['integration_id'],
      },
    ]);
    assert.equal(api.calls.filter((c) => c.startsWith('create')).length, 0, 'nothing is written at plan');
  });

  it('suitable references plan cleanly', async () => {
    assert.deepEqual(await plan(strategy({ targets: [ids.ps], integration_id: ids.pc })), []);
    assert.deepEqual(await plan(strategy({ type: 'custom', name: 'c', targets: [ids.app, ids.iam], integration_id: ids.slack })), []);
  });

  it('an okta strategy without an integration is refused at integration_id', async () => {
    const diags = await plan(strategy({ type: 'okta', name: 'o', targets: [ids.okta] }));
    assert.deepEqual(diags, [{ severity: 'error', summary: 'Invalid value', detail: 'is required: okta strategies act through a okta integration (its credentials)', path: ['integration_id'] }]);
  });

  it('ids not known until apply, unknown types and ids naming nothing are left to the API', async () => {
    assert.deepEqual(await plan(strategy({ targets: [UNKNOWN, ids.ps], integration_id: UNKNOWN })), []);
    assert.deepEqual(await plan(strategy({ type: 'okta', name: 'o', targets: UNKNOWN, integration_id: UNKNOWN })), []);
    assert.deepEqual(await plan(strategy({ type: UNKNOWN, targets: [ids.app] })), []);
    assert.deepEqual(await plan(strategy({ targets: ['not-a-uuid', '00000000-0000-4000-8000-000000000000'] })), []);
    assert.equal(
      api.calls.some((c) => c.includes('not-a-uuid')),
      false,
      'an id that is no UUID is not read (the API refuses it in a batched ?id= list)',
    );
    const [d, ...rest] = await plan(strategy({ targets: [UNKNOWN, ids.app] }));
    assert.deepEqual([d.path, rest], [['targets', 1], []], 'the known target next to an unknown one is still checked');
  });

  it('a strategy being destroyed is not checked', async () => {
    const prior = strategy({ id: 'x', targets: [ids.app] });
    const out = await provider.planResourceChange('sym_strategy', prior, null, null, undefined);
    assert.deepEqual(out.diagnostics, []);
  });

  it('with the provider config unknown, nothing is read but a missing integration is still refused', async () => {
    await provider.configureProvider({ api_url: UNKNOWN, org: null, token: null, jwt_env_var: null }, '1.11.0');
    api.calls.length = 0;
    assert.deepEqual(await plan(strategy({ targets: [ids.app], integration_id: ids.slack })), []);
    assert.deepEqual(api.calls, []);
    const [d] = await plan(strategy({ type: 'github', name: 'g', targets: [] }));
    assert.deepEqual(d.path, ['integration_id']);
  });
});
