// `okta` strategies through the whole request lifecycle (API, PGlite, job queue), with
// @okta/okta-sdk-nodejs talking to the Okta double: request, approve, member of the group,
// revoke, gone; 429 and 5xx retried on both steps; a token without permission shown on the request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startNativeLifecycle, type NativeLifecycle } from '../testing/native-lifecycle';
import { startOktaDouble, type OktaDouble } from './testing/okta-double';

describe('okta strategy in the request lifecycle (Okta double, real SDK)', () => {
  let okta: OktaDouble;
  let f: NativeLifecycle;
  let flow: string;
  let readOnlyFlow: string;
  let admins: string;
  let appGroup: string;
  let dev: { id: string; token: string };
  let integration: string;

  before(async () => {
    okta = await startOktaDouble();
    okta.addUser({ id: '00u1dev', login: 'dev@example.com', email: 'dev@example.com' });
    okta.addUser({ id: '00u2ops', login: 'ops.person@corp.example', email: 'ops@example.com' });
    okta.addGroup('00gadmins', 'Admins');
    okta.addGroup('00gapp', 'AD group', 'APP_GROUP');
    f = await startNativeLifecycle({ SYM_OKTA_API_URL: okta.url, SYM_SECRET_OKTA: okta.token, SYM_SECRET_OKTA_RO: okta.readOnlyToken });
    integration = await f.create('integrations', { type: 'okta', name: 'okta', external_id: 'dev-12345.okta.com', settings: { api_token_secret: await f.secret('OKTA') } });
    const readOnly = await f.create('integrations', { type: 'okta', name: 'okta-read-only', external_id: 'dev-12345.okta.com', settings: { api_token_secret: await f.secret('OKTA_RO') } });
    admins = await f.create('access-targets', { type: 'okta_group', name: 'admins', label: 'Admins', settings: { group_id: '00gadmins' } });
    appGroup = await f.create('access-targets', { type: 'okta_group', name: 'app-group', settings: { group_id: '00gapp' } });
    const strategy = await f.create('access-strategies', { type: 'okta', name: 'okta', integration_id: integration, targets: [admins, appGroup] });
    const readOnlyStrategy = await f.create('access-strategies', { type: 'okta', name: 'okta-read-only', integration_id: readOnly, targets: [admins] });
    flow = await f.flow('okta', strategy);
    readOnlyFlow = await f.flow('okta-read-only', readOnlyStrategy);
    dev = await f.person('dev@example.com');
  });
  after(async () => {
    await f?.close();
    await okta?.close();
  });

  it('approval adds the requester to the group; revoking removes them; the identity is cached', async () => {
    const id = await f.request(dev.token, flow, admins);
    await f.approve(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.deepEqual(okta.members('00gadmins'), ['00u1dev']);

    await f.revoke(id, dev.token);
    await f.drain();
    const done = await f.get(id);
    assert.equal(done.state, 'done');
    assert.deepEqual(okta.members('00gadmins'), []);
    const cached = await f.t.cp.db.prisma.identityCache.findMany({ where: { integrationId: integration } });
    assert.deepEqual(
      cached.map((r) => [r.userId, JSON.parse(r.identity)]),
      [[dev.id, { id: '00u1dev', login: 'dev@example.com', looked_up_as: 'dev@example.com' }]],
    );
    // The user was looked up once, by email, for both steps.
    assert.equal(okta.server.requests.filter((r) => r.path.startsWith('/api/v1/users/')).length, 1);
    assert.ok(
      f.lines.every((line) => !line.includes(okta.token)),
      'the API token is never logged',
    );
    assert.ok(!JSON.stringify(done).includes(okta.token));
  });

  it('granting what is already granted and taking back what is gone both succeed', async () => {
    const first = await f.request(dev.token, flow, admins);
    await f.approve(first);
    await f.drain();
    const second = await f.request(dev.token, flow, admins);
    await f.approve(second);
    await f.drain();
    assert.equal((await f.get(second)).state, 'active');
    assert.deepEqual(okta.members('00gadmins'), ['00u1dev']);
    await f.revoke(first, dev.token);
    await f.drain();
    await f.revoke(second, dev.token);
    await f.drain();
    assert.equal((await f.get(second)).state, 'done', 'removing a user who is no longer a member is success');
    assert.deepEqual(okta.members('00gadmins'), []);
  });

  it('a stored okta identity is used instead of the email', async () => {
    const ops = await f.person('ops@example.com', 'member', { okta: 'ops.person@corp.example' });
    const id = await f.request(ops.token, flow, admins);
    await f.approve(id);
    await f.drain();
    assert.deepEqual(okta.members('00gadmins'), ['00u2ops']);
    await f.revoke(id, ops.token);
    await f.drain();
    assert.deepEqual(okta.members('00gadmins'), []);
  });

  it("a cached identity is looked up again once the user's okta identity changes", async () => {
    const person = await f.person('renamed@example.com', 'member', { okta: 'dev@example.com' });
    const first = await f.request(person.token, flow, admins);
    await f.approve(first);
    await f.drain();
    assert.deepEqual(okta.members('00gadmins'), ['00u1dev']);
    await f.revoke(first, person.token);
    await f.drain();
    const patched = await f.t.request
      .patch(`/api/v1/users/${person.id}`)
      .set({ Authorization: `Bearer ${f.t.admin}` })
      .send({ identities: { okta: 'ops.person@corp.example' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const second = await f.request(person.token, flow, admins);
    await f.approve(second);
    await f.drain();
    assert.deepEqual(okta.members('00gadmins'), ['00u2ops'], 'the new identity, not the cached one');
    await f.revoke(second, person.token);
    await f.drain();
    assert.deepEqual(okta.members('00gadmins'), []);
  });

  it('429 (rate limit) and 500 from Okta during escalate and deescalate are retried', async () => {
    okta.rateLimit('PUT', /^\/api\/v1\/groups\/00gadmins\/users\//);
    okta.fail('PUT', /^\/api\/v1\/groups\/00gadmins\/users\//, 500);
    const id = await f.request(dev.token, flow, admins);
    await f.approve(id);
    await f.drain();
    const active = await f.get(id);
    assert.equal(active.state, 'active');
    assert.deepEqual(okta.members('00gadmins'), ['00u1dev']);
    const failures = active.events.filter((e) => e.type === 'request.escalation_failed' || e.type === 'access.escalation_failed' || /fail/.test(e.type));
    assert.ok(
      failures.some((e) => /HTTP 429.*rate limited/.test(String(e.data.error))),
      JSON.stringify(active.events.map((e) => [e.type, e.data.error])),
    );
    assert.ok(failures.some((e) => /HTTP 500/.test(String(e.data.error))));

    okta.rateLimit('DELETE', /^\/api\/v1\/groups\/00gadmins\/users\//);
    okta.fail('DELETE', /^\/api\/v1\/groups\/00gadmins\/users\//, 503);
    await f.revoke(id, dev.token);
    await f.drain();
    const done = await f.get(id);
    assert.equal(done.state, 'done');
    assert.deepEqual(okta.members('00gadmins'), []);
    const deleteAttempts = okta.server.requests.filter((r) => r.method === 'DELETE' && r.path === '/api/v1/groups/00gadmins/users/00u1dev').slice(-3);
    assert.deepEqual(
      deleteAttempts.map((r) => r.status),
      [429, 503, 204],
    );
  });

  it('a token without permission to manage the group fails the request with a message that says what to fix', async () => {
    const id = await f.request(dev.token, readOnlyFlow, admins);
    await f.approve(id);
    await f.drain();
    const failed = await f.get(id);
    // Okta refused the one granting call, so nothing was granted: the request fails, with nothing to take back.
    assert.equal(failed.state, 'failed');
    assert.ok(!failed.events.some((e) => e.type.startsWith('request.deescalat')), JSON.stringify(failed.events.map((e) => e.type)));
    assert.match(String(failed.last_error), /HTTP 403 \(E0000006: You do not have permission.*missing permission: .*Group Membership Administrator/);
    assert.deepEqual(okta.members('00gadmins'), []);
  });

  it('a 500 on the add-member call that may have landed, then a refusal: the grant is taken back, not left in place', async () => {
    const path = /^\/api\/v1\/groups\/00gadmins\/users\//;
    // The first PUT adds the member and then answers 500; its retry is refused with a 403.
    okta.server.inject({ method: 'PUT', path, times: 1, landed: true, reply: { status: 500, body: { errorCode: 'E0000009', errorSummary: 'Internal Server Error' } } });
    okta.server.inject({ method: 'PUT', path, times: 1, reply: { status: 403, body: { errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action' } } });
    const id = await f.request(dev.token, flow, admins);
    await f.approve(id);
    await f.drain();
    const after = await f.get(id);
    assert.ok(
      after.events.some((e) => e.type === 'request.escalation_failed' && e.data.to === 'deescalating'),
      JSON.stringify(after.events.map((e) => [e.type, e.data.to])),
    );
    assert.deepEqual(okta.members('00gadmins'), [], 'the membership the first call made is removed');
    assert.ok(okta.server.requests.some((r) => r.method === 'DELETE' && r.path === '/api/v1/groups/00gadmins/users/00u1dev'));
  });

  it('an APP_GROUP (membership owned by its application) is refused with the same clear message', async () => {
    const id = await f.request(dev.token, flow, appGroup);
    await f.approve(id);
    await f.drain();
    const failed = await f.get(id);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.last_error), /missing permission: .*APP_GROUP/);
  });

  it('a requester unknown to Okta gets a message naming the login to fix', async () => {
    const stranger = await f.person('stranger@example.com');
    const id = await f.request(stranger.token, flow, admins);
    await f.approve(id);
    await f.drain();
    const failed = await f.get(id);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.last_error), /no Okta user has the login stranger@example\.com/);
  });

  it('the API refuses an okta strategy whose targets or integration do not suit it (422 at the attribute)', async () => {
    const custom = await f.create('access-targets', { type: 'custom', name: 'not-a-group' });
    const github = await f.create('integrations', { type: 'github', name: 'gh', external_id: 'acme', settings: { api_token_secret: await f.secret('GH') } });
    const post = (body: object) =>
      f.t.request
        .post('/api/v1/entities/access-strategies')
        .set({ Authorization: `Bearer ${f.t.admin}` })
        .send(body);
    const wrongTarget = await post({ type: 'okta', name: 'wrong-target', integration_id: integration, targets: [admins, custom] });
    assert.equal(wrongTarget.status, 422);
    assert.deepEqual(wrongTarget.body.errors, [{ pointer: '/targets/1', detail: 'target not-a-group does not suit this strategy: okta strategies grant okta_group targets, not custom' }]);
    const wrongIntegration = await post({ type: 'okta', name: 'wrong-integration', integration_id: github, targets: [admins] });
    assert.equal(wrongIntegration.status, 422);
    assert.deepEqual(wrongIntegration.body.errors, [{ pointer: '/integration_id', detail: 'integration gh does not suit this strategy: okta strategies act through a okta integration, not github' }]);
    const none = await post({ type: 'okta', name: 'no-integration', targets: [admins] });
    assert.equal(none.status, 422);
    assert.deepEqual(none.body.errors, [{ pointer: '/integration_id', detail: 'is required: okta strategies act through a okta integration (its credentials)' }]);
  });
});
