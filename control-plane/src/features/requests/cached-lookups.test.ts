// The flow and user caches in front of the request store: hits are reused, misses are not kept,
// and forget() drops everything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFakeJobQueue } from '../../jobs/fake-job-queue';
import { withCachedLookups } from './cached-lookups';
import { createFakeRequestStore } from './fake-request-store';

const ORG = 'org-1';
const FLOW_ID = '00000000-0000-4000-8000-000000000001';
const USER_ID = '00000000-0000-4000-8000-000000000002';

function counted() {
  const inner = createFakeRequestStore(createFakeJobQueue());
  const reads = { flows: 0, users: 0, entities: 0 };
  const store = {
    ...inner,
    findFlow: (orgId: string, ref: string) => (reads.flows++, inner.findFlow(orgId, ref)),
    findUser: (orgId: string, by: { id: string } | { email: string }) => (reads.users++, inner.findUser(orgId, by)),
    findEntity: (orgId: string, kind: string, ref: string, byName?: boolean) => (reads.entities++, inner.findEntity(orgId, kind, ref, byName)),
  };
  return { inner, reads, store };
}

describe('withCachedLookups', () => {
  it('reuses found flows and users until forget(), and never keeps a miss', async () => {
    const { inner, reads, store } = counted();
    const cached = withCachedLookups(store, 60_000);
    assert.equal(await cached.findFlow(ORG, 'Auto'), null);
    inner.addEntity(ORG, { id: FLOW_ID, kind: 'flows', type: null, name: 'auto', data: { v: 1 } });
    inner.addUser(ORG, { id: USER_ID, email: 'a@example.com', role: 'member', identities: {} });
    assert.equal((await cached.findFlow(ORG, 'Auto'))?.id, FLOW_ID, 'a miss was not kept');
    assert.equal((await cached.findFlow(ORG, 'AUTO'))?.id, FLOW_ID);
    assert.equal(await cached.findFlow('other-org', 'auto'), null, 'keys include the organization');
    assert.equal(reads.flows, 3);
    assert.equal((await cached.findUser(ORG, { id: USER_ID }))?.email, 'a@example.com');
    assert.equal((await cached.findUser(ORG, { id: USER_ID }))?.email, 'a@example.com');
    assert.equal((await cached.findUser(ORG, { email: 'A@example.com' }))?.id, USER_ID);
    assert.equal(reads.users, 2);
    cached.forget();
    await cached.findFlow(ORG, 'auto');
    await cached.findUser(ORG, { id: USER_ID });
    assert.deepEqual(reads, { flows: 4, users: 3, entities: 0 });
  });

  it('reuses found entities (a strategy by id, a target by name) per kind until forget()', async () => {
    const { inner, reads, store } = counted();
    const cached = withCachedLookups(store, 60_000);
    const STRATEGY_ID = '00000000-0000-4000-8000-000000000003';
    assert.equal(await cached.findEntity(ORG, 'access-strategies', STRATEGY_ID), null);
    inner.addEntity(ORG, { id: STRATEGY_ID, kind: 'access-strategies', type: 'aws_lambda', name: 'lambda', data: { v: 1 } });
    assert.equal((await cached.findEntity(ORG, 'access-strategies', STRATEGY_ID))?.name, 'lambda', 'a miss was not kept');
    assert.equal((await cached.findEntity(ORG, 'access-strategies', STRATEGY_ID.toUpperCase()))?.name, 'lambda');
    assert.equal(await cached.findEntity(ORG, 'access-targets', STRATEGY_ID), null, 'keys include the kind');
    assert.equal(reads.entities, 3);
    cached.forget();
    await cached.findEntity(ORG, 'access-strategies', STRATEGY_ID);
    assert.equal(reads.entities, 4);
  });

  it('passes every read through with a TTL of 0', async () => {
    const { inner, reads, store } = counted();
    inner.addEntity(ORG, { id: FLOW_ID, kind: 'flows', type: null, name: 'auto', data: {} });
    const cached = withCachedLookups(store, 0);
    await cached.findFlow(ORG, 'auto');
    await cached.findFlow(ORG, 'auto');
    assert.equal(reads.flows, 2);
  });
});
