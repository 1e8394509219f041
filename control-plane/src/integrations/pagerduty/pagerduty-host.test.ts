import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPagerDutyDouble, type PagerDutyDouble } from '../../test-support/pagerduty-double';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { createEntityStore } from '../../features/entities/entity-store';
import { createSecretReader } from '../../features/strategies';
import { createUserStore } from '../../features/users/user-store';
import { createPagerDutyHosts } from './pagerduty-host';

let t: TestControlPlane;
let pd: PagerDutyDouble;

const create = async (path: string, body: object): Promise<string> => {
  const res = await t.request.post(`/api/v1/${path}`).set('Authorization', `Bearer ${t.admin}`).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
};

before(async () => {
  t = await startTestControlPlane();
  pd = await startPagerDutyDouble({
    token: 'pd-token-from-env',
    users: [{ id: 'PMGR', name: 'Pat Manager', email: 'pat@example.com' }],
    oncalls: [{ userId: 'PMGR', escalationPolicyId: 'EP', scheduleId: 'SMGR' }],
  });
});
after(async () => {
  await pd?.close();
  await t?.close();
});

describe('PagerDuty client per environment (PGlite)', () => {
  it("finds the environment's pagerduty integration, reads its token secret and maps users by email", async () => {
    const source = await create('entities/secret-sources', { type: 'env', name: 'process-env' });
    const secret = await create('entities/secrets', { path: 'SYM_SECRET_PD_TOKEN', source_id: source });
    const integration = await create('entities/integrations', { type: 'pagerduty', name: 'pd', external_id: 'acme.pagerduty.com', settings: { api_token_secret: secret } });
    const slack = await create('entities/integrations', {
      type: 'slack',
      name: 'slack',
      external_id: 'T1',
      settings: { bot_token_secret: 'unused-bot-token', signing_secret_secret: 'unused-signing-secret' },
    });
    const user = await create('users', { email: 'Pat@Example.com', identities: { slack: 'UPAT' } });
    const withPd = await create('entities/environments', { name: 'prod', integrations: { pagerduty_id: integration } });
    const withoutPd = await create('entities/environments', { name: 'dev' });
    const wrongType = await create('entities/environments', { name: 'odd', integrations: { pagerduty_id: slack } });

    const entities = createEntityStore(t.cp.db.prisma);
    const hosts = createPagerDutyHosts({
      entities,
      secrets: createSecretReader({ env: { SYM_SECRET_PD_TOKEN: 'pd-token-from-env' } }),
      users: createUserStore(t.cp.db.prisma),
      baseUrl: pd.url,
    });
    const env = async (id: string) => entities.findById(t.orgId, 'environments', id);

    const client = await hosts.forEnvironment(t.orgId, await env(withPd));
    assert.ok(client);
    assert.equal(pd.requests.length, 0, 'nothing is read or asked before a hook needs it');
    assert.deepEqual(await client.onCall({ schedule: 'SMGR' }), [
      { id: user, email: 'pat@example.com', username: 'pat@example.com', first_name: 'Pat', last_name: 'Manager', identities: { slack: 'UPAT', pagerduty: 'PMGR' } },
    ]);
    assert.equal(pd.requests[0]!.headers.authorization, 'Token token=pd-token-from-env');

    assert.equal(await hosts.forEnvironment(t.orgId, await env(withoutPd)), undefined);
    assert.equal(await hosts.forEnvironment(t.orgId, null), undefined);
    const misconfigured = await hosts.forEnvironment(t.orgId, await env(wrongType));
    await assert.rejects(misconfigured!.onCall({ schedule: 'SMGR' }), /is not a pagerduty integration/);

    const noSecret = await create('entities/integrations', { type: 'pagerduty', name: 'pd2', external_id: 'x' });
    const envNoSecret = await create('entities/environments', { name: 'nosecret', integrations: { pagerduty_id: noSecret } });
    await assert.rejects((await hosts.forEnvironment(t.orgId, await env(envNoSecret)))!.isOnCall({ email: 'pat@example.com' }, { schedule: 'S' }), /api_token_secret/);

    const unsetEnv = createPagerDutyHosts({ entities, secrets: createSecretReader({ env: {} }), users: createUserStore(t.cp.db.prisma), baseUrl: pd.url });
    await assert.rejects((await unsetEnv.forEnvironment(t.orgId, await env(withPd)))!.onCall({ schedule: 'SMGR' }), /SYM_SECRET_PD_TOKEN is not set/);
  });
});
