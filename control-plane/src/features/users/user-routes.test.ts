import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';

let t: TestControlPlane;
let n = 0;
const email = (who = 'user') => `${who}-${++n}@Example.com`;

const as = (token: string) => ({
  get: (path: string) => t.request.get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`),
  post: (path: string, body: unknown) =>
    t.request
      .post(`/api/v1${path}`)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object),
  patch: (path: string, body: unknown) =>
    t.request
      .patch(`/api/v1${path}`)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object),
  del: (path: string) => t.request.delete(`/api/v1${path}`).set('Authorization', `Bearer ${token}`),
});

/** Creates a user as admin and issues a token acting for them. */
async function userWithToken(role: 'admin' | 'member' | 'guest', identities: Record<string, string> = {}) {
  const created = await as(t.admin).post('/users', { email: email(role), role, identities });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const issued = await as(t.admin).post(`/users/${created.body.id}/tokens`, {});
  assert.equal(issued.status, 201, JSON.stringify(issued.body));
  return { user: created.body as { id: string; email: string; role: string }, token: issued.body.token as string, tokenId: issued.body.id as string };
}

const isProblem = (res: { status: number; headers: Record<string, string>; body: { code?: string } }, status: number, code: string) => {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers['content-type'] ?? '', /application\/problem\+json/);
  assert.equal(res.body.code, code);
};

before(async () => {
  t = await startTestControlPlane();
});
after(async () => {
  await t?.close();
});

describe('users API (PGlite)', () => {
  it('creates, reads, lists, patches and deletes a user', async () => {
    const address = email('alice');
    const created = await as(t.admin).post('/users', { email: address, identities: { slack: 'U123', pagerduty: 'PABC' } });
    assert.equal(created.status, 201);
    assert.equal(created.headers.location, `/api/v1/users/${created.body.id}`);
    assert.deepEqual(
      { ...created.body, id: undefined, created_at: undefined },
      { id: undefined, email: address.toLowerCase(), role: 'member', identities: { slack: 'U123', pagerduty: 'PABC' }, created_at: undefined },
    );
    assert.deepEqual((await as(t.admin).get(`/users/${created.body.id}`)).body, created.body);
    const byEmail = await as(t.member).get(`/users?email=${encodeURIComponent(address.toUpperCase())}`);
    assert.deepEqual(byEmail.body, { data: [created.body], next_page_token: null });
    assert.deepEqual((await as(t.admin).get('/users?email=nobody@example.com')).body, { data: [], next_page_token: null });

    const patched = await as(t.admin).patch(`/users/${created.body.id}`, { role: 'guest', identities: { slack: 'U999' } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.role, 'guest');
    assert.deepEqual(patched.body.identities, { slack: 'U999' }, 'identities are replaced as a whole');
    const cleared = await as(t.admin).patch(`/users/${created.body.id}`, { identities: null });
    assert.deepEqual(cleared.body.identities, {});
    assert.equal(cleared.body.role, 'guest', 'absent attributes are kept');

    assert.equal((await as(t.admin).del(`/users/${created.body.id}`)).status, 204);
    isProblem(await as(t.admin).get(`/users/${created.body.id}`), 404, 'not_found');
    isProblem(await as(t.admin).del(`/users/${created.body.id}`), 404, 'not_found');
  });

  it('refuses duplicate emails case-insensitively, per organization', async () => {
    const address = email('dup');
    assert.equal((await as(t.admin).post('/users', { email: address })).status, 201);
    const dup = await as(t.admin).post('/users', { email: address.toUpperCase() });
    isProblem(dup, 409, 'duplicate_name');
    assert.deepEqual(dup.body.errors, [{ pointer: '/email', detail: 'is already taken' }]);
    const other = await as(t.admin).post('/users', { email: email('other') });
    isProblem(await as(t.admin).patch(`/users/${other.body.id}`, { email: address }), 409, 'duplicate_name');
    assert.equal((await as(t.otherAdmin).post('/users', { email: address })).status, 201, 'another organization may use it');
  });

  it('answers bad input with problem+json field errors', async () => {
    const res = await as(t.admin).post('/users', { email: 'not-an-email', role: 'owner', identities: { Slack: 'U1', pagerduty: 5 }, extra: true });
    isProblem(res, 422, 'validation_failed');
    assert.deepEqual(res.body.errors.map((e: { pointer: string }) => e.pointer).sort(), ['/email', '/extra', '/identities/Slack', '/identities/pagerduty', '/role']);
    isProblem(await as(t.admin).post('/users', {}), 422, 'validation_failed');
    isProblem(await as(t.admin).post('/users', [1]), 422, 'validation_failed');
    isProblem(await as(t.admin).post('/users', { email: 'a\u0000b@example.com' }), 422, 'validation_failed');
    const malformed = await t.request.post('/api/v1/users').set('Authorization', `Bearer ${t.admin}`).set('Content-Type', 'application/json').send('{"email":');
    isProblem(malformed, 400, 'malformed_json');
    const wrongType = await t.request.post('/api/v1/users').set('Authorization', `Bearer ${t.admin}`).set('Content-Type', 'text/plain').send('x');
    isProblem(wrongType, 415, 'unsupported_media_type');
    isProblem(await as(t.admin).get('/users/not-a-uuid'), 404, 'not_found');
    isProblem(await as(t.admin).patch('/users/00000000-0000-4000-8000-000000000000', { role: 'admin' }), 404, 'not_found');
    const user = await as(t.admin).post('/users', { email: email('patch') });
    const badPatch = await as(t.admin).patch(`/users/${user.body.id}`, { role: null, email: 3 });
    isProblem(badPatch, 422, 'validation_failed');
    assert.deepEqual(badPatch.body.errors.map((e: { pointer: string }) => e.pointer).sort(), ['/email', '/role']);
  });

  it('keeps users of one organization invisible to another', async () => {
    const user = await as(t.admin).post('/users', { email: email('private') });
    isProblem(await as(t.otherAdmin).get(`/users/${user.body.id}`), 404, 'not_found');
    isProblem(await as(t.otherAdmin).patch(`/users/${user.body.id}`, { role: 'admin' }), 404, 'not_found');
    isProblem(await as(t.otherAdmin).post(`/users/${user.body.id}/tokens`, {}), 404, 'not_found');
    assert.ok(!(await as(t.otherAdmin).get('/users')).body.data.some((u: { id: string }) => u.id === user.body.id));
  });

  it('enforces roles: only admins change users and tokens; guests read no users, not even themselves', async () => {
    const member = await userWithToken('member');
    const guest = await userWithToken('guest');
    for (const token of [t.member, member.token, guest.token]) {
      isProblem(await as(token).post('/users', { email: email('x') }), 403, 'forbidden');
      isProblem(await as(token).patch(`/users/${member.user.id}`, { role: 'admin' }), 403, 'forbidden');
      isProblem(await as(token).del(`/users/${member.user.id}`), 403, 'forbidden');
      isProblem(await as(token).post(`/users/${member.user.id}/tokens`, {}), 403, 'forbidden');
      isProblem(await as(token).post('/tokens', { name: 'bot', role: 'admin' }), 403, 'forbidden');
      isProblem(await as(token).get('/tokens'), 403, 'forbidden');
      isProblem(await as(token).post('/entities/runtimes', { name: `r-${++n}` }), 403, 'forbidden');
    }
    // Express routes case-insensitively and tolerates doubled slashes; the admin check must too.
    for (const path of ['/ENTITIES/runtimes', '/Entities/runtimes/', '//entities/runtimes', '/entities/RUNTIMES']) {
      isProblem(await as(member.token).post(path, { name: `r-${++n}` }), 403, 'forbidden');
    }
    isProblem(await as(member.token).post('/USERS', { email: email('x') }), 403, 'forbidden');
    isProblem(await as(member.token).post('/Tokens', { name: 'bot', role: 'admin' }), 403, 'forbidden');
    assert.equal((await as(member.token).get(`/users/${guest.user.id}`)).status, 200, 'members read other users');
    assert.equal((await as(member.token).get('/users')).status, 200);
    isProblem(await as(guest.token).get(`/users/${member.user.id}`), 403, 'forbidden');
    isProblem(await as(guest.token).get('/users'), 403, 'forbidden');
    isProblem(await as(guest.token).get(`/users/${guest.user.id}`), 403, 'forbidden');
    const self = await as(guest.token).get('/whoami');
    assert.equal(self.status, 200);
    assert.equal(self.body.user.email, guest.user.email);
    // Non-configuration writes pass the auth layer for every role (the feature decides), so an
    // unknown route answers 404, not 403.
    isProblem(await as(guest.token).post('/no-such-thing', {}), 404, 'not_found');
  });

  it("user tokens authenticate as the user and follow the user's role", async () => {
    const { user, token, tokenId } = await userWithToken('member', { slack: 'U42' });
    const who = await as(token).get('/whoami');
    assert.equal(who.status, 200);
    assert.deepEqual(who.body.token, { id: tokenId, role: 'member', user_id: user.id });
    assert.equal(who.body.user.id, user.id);
    assert.deepEqual(who.body.user.identities, { slack: 'U42' });
    isProblem(await as(token).post('/entities/runtimes', { name: `r-${++n}` }), 403, 'forbidden');
    // Promoting the user promotes their tokens; demoting demotes them.
    await as(t.admin).patch(`/users/${user.id}`, { role: 'admin' });
    assert.equal((await as(token).get('/whoami')).body.token.role, 'admin');
    assert.equal((await as(token).post('/entities/runtimes', { name: `r-${++n}` })).status, 201);
    await as(t.admin).patch(`/users/${user.id}`, { role: 'guest' });
    isProblem(await as(token).get('/users'), 403, 'forbidden');
    // Deleting the user revokes their tokens.
    assert.equal((await as(t.admin).del(`/users/${user.id}`)).status, 204);
    isProblem(await as(token).get('/whoami'), 401, 'unauthorized');
  });

  it('issues bot tokens once, lists tokens without secrets, revokes them', async () => {
    const issued = await as(t.admin).post('/tokens', { name: 'ci', role: 'member' });
    assert.equal(issued.status, 201);
    assert.equal(issued.headers['cache-control'], 'no-store');
    assert.match(issued.body.token, /^sym_[A-Za-z0-9_-]{43}$/);
    assert.equal(issued.body.user_id, null);
    const who = await as(issued.body.token).get('/whoami');
    assert.deepEqual(who.body.token, { id: issued.body.id, role: 'member', user_id: null });
    assert.equal(who.body.user, null);
    const listed = await as(t.admin).get('/tokens');
    const entry = listed.body.data.find((x: { id: string }) => x.id === issued.body.id);
    assert.deepEqual(Object.keys(entry).sort(), ['created_at', 'id', 'last_used_at', 'name', 'role', 'user_id']);
    assert.ok(!JSON.stringify(listed.body).includes(issued.body.token), 'no secret in listings');
    assert.ok(entry.last_used_at, 'last use is recorded');
    const bad = await as(t.admin).post('/tokens', { role: 'root' });
    isProblem(bad, 422, 'validation_failed');
    assert.deepEqual(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort(), ['/name', '/role']);
    assert.equal((await as(t.admin).del(`/tokens/${issued.body.id}`)).status, 204);
    isProblem(await as(issued.body.token).get('/whoami'), 401, 'unauthorized');
    isProblem(await as(t.admin).del(`/tokens/${issued.body.id}`), 404, 'not_found');
    // The bootstrap-style admin token (a bot token) still works.
    assert.equal((await as(t.admin).get('/whoami')).body.token.role, 'admin');
  });

  it("lists a user's tokens and records token events without the secret", async () => {
    const { user, token, tokenId } = await userWithToken('member');
    const listed = await as(t.admin).get(`/tokens?user_id=${user.id}`);
    assert.deepEqual(
      listed.body.data.map((x: { id: string }) => x.id),
      [tokenId],
    );
    const events = await as(t.admin).get(`/audit?type=token.created&actor=${encodeURIComponent('nobody@example.com')}`);
    assert.deepEqual(events.body.data, []);
    const all = await as(t.admin).get('/audit?type=token.*&limit=200');
    const created = all.body.data.find((e: { data: { token_id?: string } }) => e.data.token_id === tokenId);
    assert.equal(created.type, 'token.created');
    assert.equal(created.data.user_id, user.id);
    assert.ok(!JSON.stringify(all.body).includes(token), 'no secret in audit events');
  });

  it('refuses to delete a user who has access requests', async () => {
    const user = await as(t.admin).post('/users', { email: email('requester') });
    await t.cp.db.prisma.accessRequest.create({
      data: {
        orgId: t.orgId,
        flowId: '00000000-0000-4000-8000-000000000001',
        flowName: 'f',
        flowVersion: 'v',
        flowSnapshot: {},
        requesterId: user.body.id,
        fields: {},
        state: 'pending',
      },
    });
    const res = await as(t.admin).del(`/users/${user.body.id}`);
    isProblem(res, 409, 'still_referenced');
    assert.equal((await as(t.admin).get(`/users/${user.body.id}`)).status, 200);
  });
});
