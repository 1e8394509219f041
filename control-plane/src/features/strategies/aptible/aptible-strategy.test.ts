// Sym's `aptible` strategy through the whole request lifecycle (API, PGlite, job queue) against
// the Aptible auth API double, configured as Sym's example is: the bot user's email and password
// in one JSON secret read through two sym_secrets with `json_key`, the organization id as the
// integration's external_id, `aptible_role` targets by role id. Role membership granted and taken
// back (following paged collections), idempotent on both sides, 429 and 5xx retried, a bot that is
// not Role Admin and an unknown user shown on the request, a bot with 2FA refused clearly.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startNativeLifecycle, type NativeLifecycle } from '../testing/native-lifecycle';
import { startAptibleDouble, type AptibleDouble } from './testing/aptible-double';

const ROLE = '24463EF7-1D6E-402E-A365-69CB6DB80C6E';
const LOCKED_ROLE = 'C7D5F21A-1D4E-4B39-9957-F8ACABDE2A3A';

describe('aptible strategy in the request lifecycle (Aptible double)', () => {
  let ap: AptibleDouble;
  let f: NativeLifecycle;
  let flow: string;
  let otpFlow: string;
  let role: string;
  let locked: string;
  let dev: { id: string; token: string };
  let devId: string;

  before(async () => {
    ap = await startAptibleDouble();
    // Enough members that the organization's users and the role's memberships come in pages.
    for (const n of [1, 2, 3]) ap.addUser(`someone${n}@example.com`);
    devId = ap.addUser('Dev@Example.com');
    ap.addRole(ROLE);
    ap.addRole(LOCKED_ROLE, false);
    for (const n of [1, 2, 3]) ap.addMember(ROLE, ap.addUser(`member${n}@example.com`));
    f = await startNativeLifecycle({
      SYM_APTIBLE_API_URL: ap.url,
      SYM_SECRET_APTIBLE_BOT: JSON.stringify(ap.bot),
      SYM_SECRET_APTIBLE_OTP_BOT: JSON.stringify(ap.otpBot),
    });
    const integration = await f.create('integrations', {
      type: 'aptible',
      name: 'main-aptible-integration',
      external_id: ap.organizationId,
      settings: { username_secret: await f.secret('APTIBLE_BOT', 'username'), password_secret: await f.secret('APTIBLE_BOT', 'password') },
    });
    const otp = await f.create('integrations', {
      type: 'aptible',
      name: 'otp-aptible-integration',
      external_id: ap.organizationId,
      settings: { username_secret: await f.secret('APTIBLE_OTP_BOT', 'username'), password_secret: await f.secret('APTIBLE_OTP_BOT', 'password') },
    });
    role = await f.create('access-targets', { type: 'aptible_role', name: 'main-aptible-admin-role', label: 'Admin Role', settings: { role_id: ROLE } });
    locked = await f.create('access-targets', { type: 'aptible_role', name: 'main-aptible-read-only-role', label: 'Read Only Role', settings: { role_id: LOCKED_ROLE } });
    flow = await f.flow('aptible', await f.create('access-strategies', { type: 'aptible', name: 'main-aptible-strategy', integration_id: integration, targets: [role, locked] }));
    otpFlow = await f.flow('aptible-otp', await f.create('access-strategies', { type: 'aptible', name: 'otp-aptible-strategy', integration_id: otp, targets: [role] }));
    dev = await f.person('dev@example.com');
  });
  after(async () => {
    await f?.close();
    await ap?.close();
  });

  it('approval adds the requester to the role, expiry removes them; the other members stay', async () => {
    const before = ap.members(ROLE);
    const id = await f.request(dev.token, flow, role);
    await f.approve(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.deepEqual(ap.members(ROLE), [...before, devId]);
    // The users were read page after page (the requester is on the second page).
    assert.ok(ap.server.requests.some((r) => r.method === 'GET' && r.path === `/organizations/${ap.organizationId}/users`));
    await f.revoke(id, dev.token);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.deepEqual(ap.members(ROLE), before);
    assert.ok(
      f.lines.every((line) => !line.includes(ap.bot.password)),
      'the bot password is never logged',
    );
  });

  it('granting a role the user already has and taking back one already gone both succeed', async () => {
    ap.addMember(ROLE, devId);
    const posts = () => ap.server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/memberships')).length;
    const deletes = () => ap.server.requests.filter((r) => r.method === 'DELETE').length;
    const postsBefore = posts();
    const id = await f.request(dev.token, flow, role);
    await f.approve(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.equal(posts(), postsBefore, 'no membership created: the user had one');
    assert.equal(ap.members(ROLE).filter((u) => u === devId).length, 1);
    // Someone removes the membership in the dashboard before the grant ends.
    await removeBehindTheBack(ap, devId);
    const deletesBefore = deletes();
    await f.revoke(id, dev.token);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.equal(deletes(), deletesBefore, 'nothing left to delete');
    assert.ok(!ap.members(ROLE).includes(devId));
  });

  it('429 and 5xx are retried on both steps', async () => {
    ap.fail('POST', /^\/roles\/[^/]+\/memberships$/, 429);
    ap.fail('POST', /^\/roles\/[^/]+\/memberships$/, 502);
    const id = await f.request(dev.token, flow, role);
    await f.approve(id);
    await f.drain();
    const active = await f.get(id);
    assert.equal(active.state, 'active');
    const errors = active.events.map((e) => String(e.data.error ?? '')).filter(Boolean);
    assert.ok(
      errors.some((e) => /HTTP 429 \(too_many_requests: Rate limit exceeded\); rate limited, retry after 1 s/.test(e)),
      JSON.stringify(errors),
    );
    assert.ok(errors.some((e) => /HTTP 502/.test(e)));
    assert.ok(ap.members(ROLE).includes(devId));
    ap.fail('DELETE', /^\/memberships\/[^/]+$/, 429);
    ap.fail('GET', /^\/roles\/[^/]+\/memberships$/, 503);
    await f.revoke(id, dev.token);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.ok(!ap.members(ROLE).includes(devId));
  });

  it('a bot that is not Role Admin of the role fails the request saying so, nothing granted', async () => {
    const id = await f.request(dev.token, flow, locked);
    await f.approve(id);
    await f.drain();
    const failed = await f.get(id);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.last_error), /HTTP 403 \(forbidden: You are not authorized to manage this role\); missing permission: the Aptible bot user must be a Role Admin of the role/);
    assert.deepEqual(ap.members(LOCKED_ROLE), []);
  });

  it('a requester who is not in the Aptible organization, and a bot with 2FA, fail with what to fix', async () => {
    const stranger = await f.person('stranger@example.com');
    const id = await f.request(stranger.token, flow, role);
    await f.approve(id);
    await f.drain();
    const failed = await f.get(id);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.last_error), /no member of the Aptible organization has the email stranger@example.com: invite the user/);
    const otp = await f.request(dev.token, otpFlow, role);
    await f.approve(otp);
    await f.drain();
    const refused = await f.get(otp);
    assert.equal(refused.state, 'failed');
    assert.match(String(refused.last_error), /otp_token_required\): use a bot user without 2FA/);
  });
});

/** Removes `userId`'s membership of the role as someone in the Aptible dashboard would. */
async function removeBehindTheBack(ap: AptibleDouble, userId: string): Promise<void> {
  const token = await (
    await fetch(`${ap.url}/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'password', ...ap.bot, scope: 'manage' }) })
  ).json();
  const headers = { authorization: `Bearer ${(token as { access_token: string }).access_token}` };
  for (let url: string | undefined = `${ap.url}/roles/${ROLE.toLowerCase()}/memberships`; url;) {
    const page = (await (await fetch(url, { headers })).json()) as { _embedded: { memberships: { id: string; _links: { user: { href: string } } }[] }; _links: { next?: { href: string } } };
    const mine = page._embedded.memberships.find((m) => m._links.user.href.endsWith(`/users/${userId}`));
    if (mine) {
      await fetch(`${ap.url}/memberships/${mine.id}`, { method: 'DELETE', headers });
      return;
    }
    url = page._links.next?.href;
  }
}
