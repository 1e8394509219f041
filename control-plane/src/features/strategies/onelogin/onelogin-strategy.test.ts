// Sym's `onelogin` strategy through the whole request lifecycle (API, PGlite, job queue) against
// the OneLogin double, configured as Sym's example is: `onelogin_role` target whose
// `privilege_level` is bound from a prompt field, client id in the integration's settings and the
// client secret in a sym_secret. Role user and role admin granted and taken back, 429 and 5xx
// retried, a credential without the Manage All scope shown on the request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startNativeLifecycle, type NativeLifecycle } from '../testing/native-lifecycle';
import { startOneLoginDouble, type OneLoginDouble } from './testing/onelogin-double';

describe('onelogin strategy in the request lifecycle (OneLogin double)', () => {
  let ol: OneLoginDouble;
  let f: NativeLifecycle;
  let flow: string;
  let readOnlyFlow: string;
  let role: string;
  let dev: { id: string; token: string };
  const privilegeLevel = { name: 'privilege_level', type: 'string', required: true, allowed_values: ['member', 'admin'] };

  before(async () => {
    ol = await startOneLoginDouble();
    ol.addUser(501, 'dev@example.com');
    ol.addRole(1234567);
    f = await startNativeLifecycle({ SYM_ONELOGIN_API_URL: ol.url, SYM_SECRET_ONELOGIN: ol.clientSecret });
    const secret = await f.secret('ONELOGIN');
    const integration = await f.create('integrations', { type: 'onelogin', name: 'onelogin', external_id: 'sym-example.onelogin.com', settings: { client_id: ol.clientId, client_secret: secret } });
    const readOnly = await f.create('integrations', {
      type: 'onelogin',
      name: 'onelogin-ro',
      external_id: 'sym-example.onelogin.com',
      settings: { client_id: ol.readOnlyClientId, client_secret: secret },
    });
    role = await f.create('access-targets', { type: 'onelogin_role', name: 'onelogin-test-role', label: 'OneLogin Test Role', settings: { role_id: '1234567' }, field_bindings: ['privilege_level'] });
    flow = await f.flow('onelogin', await f.create('access-strategies', { type: 'onelogin', name: 'onelogin', integration_id: integration, targets: [role] }), [privilegeLevel]);
    readOnlyFlow = await f.flow('onelogin-ro', await f.create('access-strategies', { type: 'onelogin', name: 'onelogin-ro', integration_id: readOnly, targets: [role] }), [privilegeLevel]);
    dev = await f.person('dev@example.com');
  });
  after(async () => {
    await f?.close();
    await ol?.close();
  });

  it('privilege_level "member" gives the requester the role, "admin" makes them its admin; revoke takes each back', async () => {
    const member = await f.request(dev.token, flow, role, { privilege_level: 'member' });
    await f.approve(member);
    await f.drain();
    assert.equal((await f.get(member)).state, 'active');
    assert.deepEqual(ol.role(1234567), { users: [501], admins: [] });
    const admin = await f.request(dev.token, flow, role, { privilege_level: 'admin' });
    await f.approve(admin);
    await f.drain();
    assert.deepEqual(ol.role(1234567), { users: [501], admins: [501] });
    await f.revoke(member, dev.token);
    await f.revoke(admin, dev.token);
    await f.drain();
    assert.equal((await f.get(admin)).state, 'done');
    assert.deepEqual(ol.role(1234567), { users: [], admins: [] });
    assert.ok(
      f.lines.every((line) => !line.includes(ol.clientSecret)),
      'the client secret is never logged',
    );
  });

  it('429 and 500 are retried on both steps', async () => {
    ol.fail('POST', /^\/api\/2\/roles\/1234567\/users$/, 429);
    ol.fail('POST', /^\/api\/2\/roles\/1234567\/users$/, 500);
    const id = await f.request(dev.token, flow, role, { privilege_level: 'member' });
    await f.approve(id);
    await f.drain();
    const active = await f.get(id);
    assert.equal(active.state, 'active');
    const errors = active.events.map((e) => String(e.data.error ?? '')).filter(Boolean);
    assert.ok(
      errors.some((e) => /HTTP 429 \(Too Many Requests\); rate limited, retry after 1 s/.test(e)),
      JSON.stringify(errors),
    );
    assert.ok(errors.some((e) => /HTTP 500/.test(e)));
    ol.fail('DELETE', /^\/api\/2\/roles\/1234567\/users$/, 429);
    ol.fail('DELETE', /^\/api\/2\/roles\/1234567\/users$/, 503);
    await f.revoke(id, dev.token);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.deepEqual(ol.role(1234567).users, []);
  });

  it('a credential without the Manage All scope fails the request saying so', async () => {
    const id = await f.request(dev.token, readOnlyFlow, role, { privilege_level: 'member' });
    await f.approve(id);
    await f.drain();
    const failed = await f.get(id);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.last_error), /HTTP 403 \(Forbidden\); missing permission: .*"Manage All" scope/);
  });
});
