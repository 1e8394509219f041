// One-time sign-in links live in the database: a link issued by one control plane signs in on
// another one on the same database (PGlite: the same data directory after a restart; PostgreSQL:
// a second instance running beside the first), once; the replay is refused wherever it is tried,
// two redeems at once let exactly one through, expired links are refused, and only the code's
// hash is stored.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { DatabaseLocation } from '../../db/database';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../test-support/throwaway-postgres';
import { createSignInLinkStore, signInLinkHash } from './sign-in-link-store';

const server = await startThrowawayPostgres();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'opensym-links-'));
after(async () => {
  if (!('skip' in server)) await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

// `shared`: two control planes may run on the database at once (PostgreSQL); PGlite's data
// directory belongs to one process, so there the second one is the first one restarted.
const backends: { name: string; location: DatabaseLocation | null; shared: boolean; skip: string | false }[] = [
  { name: 'PGlite', location: { dataDir }, shared: false, skip: false },
  { name: 'PostgreSQL', location: 'skip' in server ? null : { url: (server as ThrowawayPostgres).url }, shared: true, skip: 'skip' in server ? server.skip : false },
];

const cookieOf = (res: { headers: Record<string, unknown> }, name: string) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];
const csrfIn = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1];

/** Signs in to the console of `t` with an API token; returns the session cookie and a page's CSRF token. */
async function signIn(t: TestControlPlane, token: string) {
  const form = await t.request.get('/console/sign-in');
  const res = await t.request
    .post('/console/sign-in')
    .set('Cookie', cookieOf(form, 'sym_console_pre')!)
    .type('form')
    .send({ _csrf: csrfIn(form.text)!, token });
  assert.equal(res.status, 303, res.text);
  const cookie = cookieOf(res, 'sym_console')!;
  return { cookie, csrf: csrfIn((await t.request.get('/console/users').set('Cookie', cookie)).text)! };
}

/** Opens the link on `t` and presses its button; the answer's status and the session it started, if any. */
async function redeem(t: TestControlPlane, linkPath: string) {
  const page = await t.request.get(linkPath);
  // A used link shows no form; post with a fresh sign-in form's pre-session so CSRF is not what refuses it.
  const source = page.status === 200 ? page : await t.request.get('/console/sign-in');
  const res = await t.request
    .post(linkPath)
    .set('Cookie', cookieOf(source, 'sym_console_pre')!)
    .type('form')
    .send({ _csrf: csrfIn(source.text)! });
  const session = cookieOf(res, 'sym_console');
  const signedInAs = session && /Signed in as ([^ ]+)/.exec((await t.request.get('/console/requests').set('Cookie', session)).text)?.[1];
  return { status: res.status, page: page.status, signedInAs };
}

for (const backend of backends) {
  describe(`console sign-in links in the database (${backend.name})`, { skip: backend.skip }, () => {
    const open: TestControlPlane[] = [];
    const start = async () => {
      const t = await startTestControlPlane(backend.location!);
      open.push(t);
      return t;
    };
    const stop = async (t: TestControlPlane) => {
      open.splice(open.indexOf(t), 1);
      await t.close();
    };
    after(async () => {
      for (const t of open.splice(0)) await t.close();
    });

    /** A user of the first control plane's organization, and a link for them issued there by its admin. */
    async function issueOn(t: TestControlPlane, email: string) {
      const user = await t.request.post('/api/v1/users').set('Authorization', `Bearer ${t.admin}`).send({ email });
      assert.equal(user.status, 201, JSON.stringify(user.body));
      const admin = await signIn(t, t.admin);
      const res = await t.request.post(`/console/users/${user.body.id}/sign-in-link`).set('Cookie', admin.cookie).type('form').send({ _csrf: admin.csrf });
      assert.equal(res.status, 201, res.text);
      return new URL(/id="link-url" readonly value="([^"]+)"/.exec(res.text)![1]!).pathname;
    }

    it('a link issued on one control plane signs in once on another on the same database; the replay is refused', async () => {
      let first = await start();
      const linkPath = await issueOn(first, `linked-${process.pid}-${backend.name.toLowerCase()}@example.com`);
      const code = linkPath.split('/').pop()!;
      const rows = await first.cp.db.prisma.consoleSignInLink.findMany({ where: { codeHash: signInLinkHash(code) } });
      assert.equal(rows.length, 1, 'stored by the hash of its code');
      assert.ok(!JSON.stringify(await first.cp.db.prisma.consoleSignInLink.findMany()).includes(code), 'the code itself is stored nowhere');

      if (!backend.shared) await stop(first);
      const second = await start();
      const used = await redeem(second, linkPath);
      assert.equal(used.page, 200, 'the other control plane knows the link');
      assert.equal(used.status, 303);
      assert.match(used.signedInAs ?? '', /^linked-/);

      if (!backend.shared) {
        await stop(second);
        first = await start();
      }
      const replay = await redeem(first, linkPath);
      assert.deepEqual(replay, { status: 410, page: 410, signedInAs: undefined }, 'used up on every control plane');
    });

    it('two redeems at once (on two control planes where the database allows it) let exactly one sign in', async () => {
      const a = open[0] ?? (await start());
      const b = backend.shared ? await start() : a;
      const linkPath = await issueOn(a, `race-${process.pid}-${backend.name.toLowerCase()}@example.com`);
      const results = await Promise.all([redeem(a, linkPath), redeem(b, linkPath)]);
      assert.deepEqual(results.map((r) => r.status).sort(), [303, 410], JSON.stringify(results));
    });

    it('refuses an expired link, and does not take the plain code as a hash', async () => {
      const t = open[0] ?? (await start());
      const store = createSignInLinkStore(t.cp.db.prisma, 1000);
      const user = await t.cp.db.prisma.user.create({ data: { orgId: t.orgId, email: `expiring-${process.pid}-${backend.name.toLowerCase()}@example.com` } });
      const link = { orgId: t.orgId, userId: user.id, issuerTokenHash: 'h' };
      const now = Date.now();
      const code = await store.issue(link, now);
      assert.deepEqual(await store.peek(code, now + 999), { ...link, expiresAt: now + 1000 });
      assert.equal(await store.peek(code, now + 1000), null, 'expired');
      assert.equal(await store.redeem(code, now + 1000), null, 'expired');
      assert.equal(await store.redeem(signInLinkHash(code), now), null, 'the stored hash is not a code');
      const fresh = await store.issue(link, now);
      assert.equal(await store.redeem(signInLinkHash(fresh), now), null, 'the stored hash is not a code');
      assert.deepEqual(await store.redeem(fresh, now + 999), { ...link, expiresAt: now + 1000 });
      assert.equal(await store.redeem(fresh, now + 999), null, 'used up');
    });
  });
}
