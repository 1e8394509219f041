// An organization keeps at least one admin credential (an API token whose effective role is
// admin): revoking, demoting or deleting the last one answers 409 last_admin. Over the API on
// PGlite, and on a PostgreSQL server (several connections) when one is available.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DatabaseLocation } from '../../db/database';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../test-support/throwaway-postgres';
import { countAdminCredentials } from '../auth/admin-credential-store';
import { generateToken, hashToken } from '../auth/auth-service';
import { ApiError } from '../../errors/api-error';
import { createAuditLog } from '../audit/audit-log';
import { createTokenService } from '../auth/token-service';
import { createTokenStore, type TokenIdentity } from '../auth/token-store';
import { createUserService } from './user-service';
import { createUserStore } from './user-store';

const server = await startThrowawayPostgres();
const backends: { name: string; location: () => DatabaseLocation; skip: string | false }[] = [
  { name: 'PGlite', location: () => ({ memory: true }), skip: false },
  { name: 'PostgreSQL', location: () => ({ url: (server as ThrowawayPostgres).url }), skip: 'skip' in server ? server.skip : false },
];

after(async () => {
  if (!('skip' in server)) await server.close();
});

for (const backend of backends) {
  describe(`last admin (${backend.name})`, { skip: backend.skip }, () => {
    let t: TestControlPlane;
    let orgs = 0;
    before(async () => {
      t = await startTestControlPlane(backend.location());
    });
    after(async () => {
      await t?.close();
    });

    const as = (token: string) => ({
      patch: (path: string, body: object) => t.request.patch(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
      post: (path: string, body: object) => t.request.post(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
      del: (path: string) => t.request.delete(`/api/v1${path}`).set('Authorization', `Bearer ${token}`),
    });
    const lastAdmin = (res: { status: number; headers: Record<string, string>; body: { code?: string; detail?: string } }) => {
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.match(res.headers['content-type'] ?? '', /application\/problem\+json/);
      assert.equal(res.body.code, 'last_admin');
      assert.match(res.body.detail ?? '', /last admin token/);
    };
    const ok = (res: { status: number; body: unknown }, status: number) => assert.equal(res.status, status, JSON.stringify(res.body));

    /** A new organization whose only token is an admin bot token. */
    async function freshOrg(): Promise<{ orgId: string; bot: string; botId: string }> {
      const bot = generateToken();
      const created = await createTokenStore(t.cp.db.prisma).createOrganizationWithToken({
        slug: `last-admin-${process.pid}-${Date.now()}-${orgs++}`,
        tokenName: 'bootstrap admin',
        role: 'admin',
        tokenHash: hashToken(bot),
      });
      return { orgId: created!.org.id, bot, botId: created!.tokenId };
    }
    /** A user with `role` and (unless `withToken` is false) a token acting for them. */
    async function user(admin: string, email: string, role: string, withToken = true): Promise<{ id: string; token: string; tokenId: string }> {
      const created = await as(admin).post('/users', { email, role });
      ok(created, 201);
      if (!withToken) return { id: created.body.id, token: '', tokenId: '' };
      const issued = await as(admin).post(`/users/${created.body.id}/tokens`, {});
      ok(issued, 201);
      return { id: created.body.id, token: issued.body.token, tokenId: issued.body.id };
    }

    it('the last admin bot token cannot be revoked; with a second admin token it can', async () => {
      const org = await freshOrg();
      lastAdmin(await as(org.bot).del(`/tokens/${org.botId}`));
      const member = await as(org.bot).post('/tokens', { name: 'ci', role: 'member' });
      ok(await as(org.bot).del(`/tokens/${member.body.id}`), 204);
      const second = await as(org.bot).post('/tokens', { name: 'second admin', role: 'admin' });
      ok(second, 201);
      ok(await as(second.body.token).del(`/tokens/${org.botId}`), 204);
      lastAdmin(await as(second.body.token).del(`/tokens/${second.body.id}`));
      assert.equal(await countAdminCredentials(t.cp.db.prisma, org.orgId), 1);
    });

    it('the last admin user (whose token is the last admin token) cannot be demoted, deleted or lose that token', async () => {
      const org = await freshOrg();
      const alice = await user(org.bot, 'alice@example.com', 'admin');
      // Alice's token is an admin credential, so the bot token may go.
      ok(await as(alice.token).del(`/tokens/${org.botId}`), 204);
      lastAdmin(await as(alice.token).patch(`/users/${alice.id}`, { role: 'member' }));
      lastAdmin(await as(alice.token).patch(`/users/${alice.id}`, { role: 'guest' }));
      lastAdmin(await as(alice.token).del(`/users/${alice.id}`));
      lastAdmin(await as(alice.token).del(`/tokens/${alice.tokenId}`));
      // Changes that keep her an admin go through.
      ok(await as(alice.token).patch(`/users/${alice.id}`, { identities: { slack: 'U1' } }), 200);
      // An admin user without a token is no way in: it does not count.
      const carol = await user(alice.token, 'carol@example.com', 'admin', false);
      lastAdmin(await as(alice.token).patch(`/users/${alice.id}`, { role: 'member' }));
      // With another admin who has a token, each path succeeds.
      const bob = await user(alice.token, 'bob@example.com', 'admin');
      ok(await as(bob.token).patch(`/users/${alice.id}`, { role: 'member' }), 200);
      ok(await as(bob.token).patch(`/users/${alice.id}`, { role: 'admin' }), 200);
      ok(await as(bob.token).del(`/tokens/${alice.tokenId}`), 204);
      const again = await as(bob.token).post(`/users/${alice.id}/tokens`, {});
      ok(again, 201);
      ok(await as(again.body.token).del(`/users/${bob.id}`), 204);
      lastAdmin(await as(again.body.token).del(`/users/${alice.id}`));
      ok(await as(again.body.token).del(`/users/${carol.id}`), 204);
      assert.equal(await countAdminCredentials(t.cp.db.prisma, org.orgId), 1);
    });

    it('two admins demoting, deleting or revoking each other at once leave one admin', async () => {
      // The services over the real stores, called side by side with identities already
      // authenticated (over HTTP the second call could instead lose its token before it is read).
      const prisma = t.cp.db.prisma;
      const audit = createAuditLog(prisma);
      const users = createUserService({ store: createUserStore(prisma), audit });
      const tokens = createTokenService({ auth: t.cp.auth, store: createTokenStore(prisma), users: createUserStore(prisma), audit });
      const races: [string, (a: Admin, b: Admin) => [Promise<unknown>, Promise<unknown>]][] = [
        ['demote each other', (a, b) => [users.update(a.identity, b.id, { role: 'member' }), users.update(b.identity, a.id, { role: 'member' })]],
        ['delete each other', (a, b) => [users.remove(a.identity, b.id), users.remove(b.identity, a.id)]],
        ["revoke each other's token", (a, b) => [tokens.revoke(a.identity, b.tokenId), tokens.revoke(b.identity, a.tokenId)]],
        ['one demotes herself, the other deletes himself', (a, b) => [users.update(a.identity, a.id, { role: 'guest' }), users.remove(b.identity, b.id)]],
      ];
      for (const [what, race] of races) {
        for (let round = 0; round < 3; round++) {
          const org = await freshOrg();
          const [alice, bob] = await Promise.all([admin(org, 'alice'), admin(org, 'bob')]);
          ok(await as(alice.token).del(`/tokens/${org.botId}`), 204);
          const settled = await Promise.allSettled(race(alice, bob));
          const refused = settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason);
          assert.equal(refused.length, 1, `${what}: exactly one is refused (${refused.map(String).join('; ')})`);
          assert.ok(refused[0] instanceof ApiError && refused[0].code === 'last_admin', `${what}: ${String(refused[0])}`);
          assert.equal(await countAdminCredentials(prisma, org.orgId), 1, what);
        }
      }
    });

    interface Admin {
      id: string;
      token: string;
      tokenId: string;
      identity: TokenIdentity;
    }
    /** An admin user with a token, and the identity that token authenticates as. */
    async function admin(org: { orgId: string; bot: string }, name: string): Promise<Admin> {
      const u = await user(org.bot, `${name}-${orgs}@example.com`, 'admin');
      return { ...u, identity: { tokenId: u.tokenId, role: 'admin', org: { id: org.orgId, slug: 'unused' }, lastUsedAt: null, userId: u.id } };
    }
  });
}
