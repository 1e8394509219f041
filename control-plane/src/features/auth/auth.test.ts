import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ApiError } from '../../errors/api-error';
import { createAuthService, hashToken } from './auth-service';
import { bootstrapAdmin } from './bootstrap-admin';
import { createFakeTokenStore } from './fake-token-store';

describe('auth service (fake store)', () => {
  it('bootstraps once, storing only the hash', async () => {
    const store = createFakeTokenStore();
    const auth = createAuthService({ store });
    const boot = await auth.bootstrap('acme');
    assert.ok(boot);
    assert.match(boot.token, /^sym_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual([...store.tokens.keys()], [hashToken(boot.token)]);
    assert.equal(await auth.bootstrap('acme'), null);
    const who = await auth.authenticate(boot.token);
    assert.equal(who.org.slug, 'acme');
    assert.equal(who.role, 'admin');
  });

  it('rejects missing and unknown tokens with 401', async () => {
    const auth = createAuthService({ store: createFakeTokenStore() });
    for (const token of [undefined, '', 'sym_unknown']) {
      await assert.rejects(auth.authenticate(token), (e: ApiError) => e.code === 'unauthorized' && e.status === 401);
    }
  });

  it('records last use at most once a minute', async () => {
    const store = createFakeTokenStore();
    let now = new Date('2026-01-01T00:00:00Z');
    const auth = createAuthService({ store, now: () => now });
    const boot = (await auth.bootstrap('o'))!;
    await auth.authenticate(boot.token);
    const first = (await store.findByHash(hashToken(boot.token)))!.lastUsedAt;
    assert.deepEqual(first, now);
    now = new Date('2026-01-01T00:00:30Z');
    await auth.authenticate(boot.token);
    assert.deepEqual((await store.findByHash(hashToken(boot.token)))!.lastUsedAt, first);
  });

  it('keeps an identity for its TTL, and forgets it when told (a revoked token fails at once)', async () => {
    const store = createFakeTokenStore();
    let lookups = 0;
    const counting = { ...store, findByHash: (hash: string) => (lookups++, store.findByHash(hash)) };
    const auth = createAuthService({ store: counting, identityTtlMs: 60_000 });
    const boot = (await auth.bootstrap('o'))!;
    const first = await auth.authenticate(boot.token);
    first.org.slug = 'changed by a caller';
    assert.equal((await auth.authenticate(boot.token)).org.slug, 'o', 'callers get copies');
    assert.equal(lookups, 1);
    store.tokens.clear();
    assert.equal((await auth.authenticate(boot.token)).role, 'admin', 'within the TTL the cached identity answers');
    auth.forget();
    await assert.rejects(auth.authenticate(boot.token), (e: ApiError) => e.code === 'unauthorized');
  });

  it('looks every token up when the identity TTL is 0', async () => {
    const store = createFakeTokenStore();
    let lookups = 0;
    const auth = createAuthService({ store: { ...store, findByHash: (hash: string) => (lookups++, store.findByHash(hash)) }, identityTtlMs: 0 });
    const boot = (await auth.bootstrap('o'))!;
    await auth.authenticate(boot.token);
    await auth.authenticate(boot.token);
    assert.equal(lookups, 2);
  });

  it('writes the bootstrap token to a 0600 file and prints only where it is', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'opensym-auth-'));
    try {
      const lines: string[] = [];
      const auth = createAuthService({ store: createFakeTokenStore() });
      const file = await bootstrapAdmin({ auth, dataDir: path.join(dir, 'data'), orgSlug: 'default', print: (l) => lines.push(l) });
      assert.equal(file, path.join(dir, 'data', 'admin-token'));
      const token = (await readFile(file!, 'utf8')).trim();
      assert.match(token, /^sym_/);
      assert.equal((await stat(file!)).mode & 0o777, 0o600);
      assert.equal(lines.length, 1);
      assert.ok(lines[0]!.includes(file!));
      assert.ok(!lines[0]!.includes(token));
      assert.equal(await bootstrapAdmin({ auth, dataDir: dir, orgSlug: 'default', print: (l) => lines.push(l) }), null);
      assert.equal(lines.length, 1);
      assert.equal((await auth.authenticate(token)).role, 'admin');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
