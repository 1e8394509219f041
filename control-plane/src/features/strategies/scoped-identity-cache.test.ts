// The guest's door to the identity cache reaches only the requester's entry in its integration.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../sandbox';
import type { IdentityCacheStore } from './identity-cache-store';
import { scopedIdentityCache } from './scoped-identity-cache';

describe('scopedIdentityCache', () => {
  const rows = new Map<string, JsonValue>([['victim/int-1', 'victim@example.com']]);
  const store: IdentityCacheStore = {
    get: async (u, i) => rows.get(`${u}/${i}`),
    set: async (u, i, identity) => void rows.set(`${u}/${i}`, identity),
  };
  const cache = scopedIdentityCache(store, 'alice', 'int-1');

  it("reads and writes the requester's entry", async () => {
    await cache.set('alice', 'int-1', 'alice-remote');
    assert.equal(await cache.get('alice', 'int-1'), 'alice-remote');
  });

  it("refuses other users' and other integrations' entries", () => {
    assert.throws(() => cache.get('victim', 'int-1'), /only holds the requester/);
    assert.throws(() => cache.set('alice', 'int-2', 'poison'), /only holds the requester/);
    assert.equal(rows.get('alice/int-2'), undefined);
  });
});
