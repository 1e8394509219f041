import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiError } from '../../errors/api-error';
import { createFakeAuditLog } from '../audit/audit-log';
import { createAuthService } from '../auth/auth-service';
import { createFakeTokenStore } from '../auth/fake-token-store';
import { createTokenService } from '../auth/token-service';
import type { Role, TokenIdentity } from '../auth/token-store';
import { createFakeUserStore } from './fake-user-store';
import { createUserService } from './user-service';

const org = { id: 'org-1', slug: 'acme' };
const actor = (role: Role, userId: string | null = null): TokenIdentity => ({ tokenId: `tok-${role}`, role, org, lastUsedAt: null, userId });
const admin = actor('admin');
const code = (expected: string) => (e: ApiError) => e.code === expected;

function setup() {
  const store = createFakeUserStore();
  const audit = createFakeAuditLog();
  return { store, audit, users: createUserService({ store, audit }) };
}

describe('user service (fake store)', () => {
  it('lowercases emails, rejects duplicates and records events naming the actor', async () => {
    const { users, audit } = setup();
    const alice = await users.create(admin, { email: 'Alice@Example.COM', role: 'member' });
    assert.equal(alice.email, 'alice@example.com');
    assert.deepEqual(alice.identities, {});
    await assert.rejects(users.create(admin, { email: 'ALICE@example.com', role: 'guest' }), code('duplicate_name'));
    assert.deepEqual(
      audit.events.map((e) => [e.type, e.actorTokenId, e.data.email]),
      [['user.created', 'tok-admin', 'alice@example.com']],
    );
  });

  it('merges PATCH: absent keeps, present replaces, identities null clears', async () => {
    const { users, audit } = setup();
    const u = await users.create(admin, { email: 'u@example.com', role: 'member', identities: { slack: 'U1', pagerduty: 'P1' } });
    const a = await users.update(admin, u.id, { identities: { slack: 'U2' } });
    assert.deepEqual([a.role, a.identities], ['member', { slack: 'U2' }]);
    const b = await users.update(admin, u.id.toUpperCase(), { role: 'admin', identities: null });
    assert.deepEqual([b.role, b.identities], ['admin', {}]);
    assert.deepEqual(audit.events.at(-1)!.data.changed, ['identities', 'role']);
    await assert.rejects(users.update(admin, 'not-a-uuid', { role: 'guest' }), code('not_found'));
  });

  it('keeps guests to themselves and configuration to admins', async () => {
    const { users } = setup();
    const g = await users.create(admin, { email: 'g@example.com', role: 'guest' });
    const m = await users.create(admin, { email: 'm@example.com', role: 'member' });
    const guest = actor('guest', g.id);
    await assert.rejects(users.get(guest, g.id), code('forbidden'), 'not even itself: whoami (self) shows that');
    await assert.rejects(users.get(guest, m.id), code('forbidden'));
    await assert.rejects(users.list(guest, {}, { limit: 50 }), code('forbidden'));
    assert.equal((await users.list(actor('member'), { email: 'M@EXAMPLE.com' }, { limit: 50 })).data.length, 1);
    for (const who of [actor('member'), guest]) {
      await assert.rejects(users.create(who, { email: 'x@example.com', role: 'admin' }), code('forbidden'));
      await assert.rejects(users.update(who, m.id, { role: 'admin' }), code('forbidden'));
      await assert.rejects(users.remove(who, m.id), code('forbidden'));
    }
    assert.deepEqual(await users.self(guest), await users.get(admin, g.id));
    assert.equal(await users.self(admin), null);
  });

  it('refuses to delete users with access requests', async () => {
    const { users, store } = setup();
    const u = await users.create(admin, { email: 'r@example.com', role: 'member' });
    store.requests.set(u.id, 2);
    await assert.rejects(users.remove(admin, u.id), code('still_referenced'));
    store.requests.delete(u.id);
    await users.remove(admin, u.id);
    await assert.rejects(users.get(admin, u.id), code('not_found'));
  });
});

describe('token service (fake stores)', () => {
  it("issues user tokens with the user's role and bot tokens with their own; never audits the secret", async () => {
    const tokenStore = createFakeTokenStore();
    const auth = createAuthService({ store: tokenStore });
    const boot = (await auth.bootstrap('acme'))!;
    const bootAdmin = await auth.authenticate(boot.token);
    const userStore = createFakeUserStore();
    const audit = createFakeAuditLog();
    const users = createUserService({ store: userStore, audit });
    const tokens = createTokenService({ auth, store: tokenStore, users: userStore, audit });
    const u = await users.create(bootAdmin, { email: 'u@example.com', role: 'guest' });
    const issued = await tokens.issueUserToken(bootAdmin, u.id, {});
    assert.deepEqual([issued.role, issued.user_id, issued.name], ['guest', u.id, 'token for u@example.com']);
    const who = await auth.authenticate(issued.token);
    assert.deepEqual([who.role, who.userId], ['guest', u.id]);
    const bot = await tokens.issueBotToken(bootAdmin, { name: 'ci', role: 'member' });
    assert.deepEqual([bot.role, bot.user_id], ['member', null]);
    assert.deepEqual(
      (await tokens.list(bootAdmin, { userId: u.id }, { limit: 50 })).data.map((t) => t.id),
      [issued.id],
    );
    await assert.rejects(tokens.issueUserToken(bootAdmin, '00000000-0000-4000-8000-000000000000', {}), code('not_found'));
    await assert.rejects(tokens.issueBotToken(who, { name: 'x', role: 'admin' }), code('forbidden'));
    await tokens.revoke(bootAdmin, bot.id);
    await assert.rejects(auth.authenticate(bot.token), code('unauthorized'));
    await assert.rejects(tokens.revoke(bootAdmin, bot.id), code('not_found'));
    const text = JSON.stringify(audit.events);
    assert.ok(!text.includes(issued.token) && !text.includes(bot.token));
    assert.deepEqual(
      audit.events.map((e) => e.type),
      ['user.created', 'token.created', 'token.created', 'token.revoked'],
    );
  });

  it('refuses to revoke the last admin token (409 last_admin, nothing recorded), not one of two', async () => {
    const tokenStore = createFakeTokenStore();
    const auth = createAuthService({ store: tokenStore });
    const boot = (await auth.bootstrap('acme'))!;
    const bootAdmin = await auth.authenticate(boot.token);
    const audit = createFakeAuditLog();
    const tokens = createTokenService({ auth, store: tokenStore, users: createFakeUserStore(), audit });
    await assert.rejects(tokens.revoke(bootAdmin, bootAdmin.tokenId), (e: ApiError) => e.code === 'last_admin' && e.status === 409);
    assert.equal((await auth.authenticate(boot.token)).role, 'admin');
    const second = await tokens.issueBotToken(bootAdmin, { name: 'second', role: 'admin' });
    await tokens.revoke(bootAdmin, bootAdmin.tokenId);
    await assert.rejects(tokens.revoke(await auth.authenticate(second.token), second.id), code('last_admin'));
    assert.deepEqual(
      audit.events.map((e) => e.type),
      ['token.created', 'token.revoked'],
    );
  });
});
