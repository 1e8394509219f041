import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { createAuditLog } from './audit-log';

interface Event {
  id: string;
  type: string;
  at: string;
  actor: { user_id: string | null; token_id: string | null };
  entity_id: string | null;
  request_id: string | null;
  data: Record<string, unknown>;
}

let t: TestControlPlane;
/** Every event of the test organization, in the order they were caused. */
let caused: Event[];
const requestA = randomUUID();
const requestB = randomUUID();
let alice: { id: string; email: string; token: string; tokenId: string };
let runtimeId: string;

const get = (path: string, token = t.admin) => t.request.get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
const post = (path: string, body: object, token = t.admin) => t.request.post(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body);

/** Follows `next_page_token` to the end (passing it back as `tokenName`); returns the pages' ids. */
async function walk(query: string, limit: number, tokenName = 'page_token'): Promise<string[][]> {
  const pages: string[][] = [];
  let token: string | null = null;
  do {
    const res = await get(`/audit?${query}&limit=${limit}${token ? `&${tokenName}=${token}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(!('next_cursor' in res.body));
    pages.push(res.body.data.map((e: Event) => e.id));
    token = res.body.next_page_token;
  } while (token);
  return pages;
}

before(async () => {
  t = await startTestControlPlane();
  // A known history: entity and user events through the API, request events through the log
  // (the requests feature writes them the same way).
  const runtime = await post('/entities/runtimes', { name: 'r1' });
  runtimeId = runtime.body.id;
  await t.request.patch(`/api/v1/entities/runtimes/${runtimeId}`).set('Authorization', `Bearer ${t.admin}`).send({ label: 'R' });
  const user = await post('/users', { email: 'alice@example.com', role: 'member' });
  const issued = await post(`/users/${user.body.id}/tokens`, { name: 'alice laptop' });
  alice = { id: user.body.id, email: 'alice@example.com', token: issued.body.token, tokenId: issued.body.id };
  const log = createAuditLog(t.cp.db.prisma);
  const step = (type: string, requestId: string, actorUserId: string | null) =>
    log.record({ orgId: t.orgId, type, actorTokenId: actorUserId ? alice.tokenId : null, actorUserId, entityId: null, requestId, data: { step: type } });
  await step('request.created', requestA, alice.id);
  await step('request.approved', requestA, alice.id);
  await step('request.created', requestB, alice.id);
  await step('access.escalated', requestA, null);
  await step('request.denied', requestB, null);
  await post('/entities/runtimes', { name: 'r1' }, t.otherAdmin); // another organization's event
  const all = await get('/audit?limit=200');
  caused = [...all.body.data].reverse();
});
after(async () => {
  await t?.close();
});

describe('audit API (PGlite)', () => {
  it("lists the organization's events newest first with actors and ids", () => {
    assert.deepEqual(
      caused.map((e) => e.type),
      ['entity.created', 'entity.updated', 'user.created', 'token.created', 'request.created', 'request.approved', 'request.created', 'access.escalated', 'request.denied'],
    );
    const times = caused.map((e) => Date.parse(e.at));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    assert.equal(new Set(times).size, times.length, 'events of one process never share a time');
    assert.equal(caused[0]!.entity_id, runtimeId);
    assert.equal(caused[0]!.actor.user_id, null, 'a bot token acts for no user');
    assert.ok(caused[0]!.actor.token_id);
    assert.deepEqual(caused[4]!.actor, { user_id: alice.id, token_id: alice.tokenId });
    assert.equal(caused[4]!.request_id, requestA);
  });

  it('pages through every event exactly once, in order, for every page size', async () => {
    const all = [...caused].reverse().map((e) => e.id);
    for (const limit of [1, 2, 4, 9, 10]) {
      const pages = await walk('', limit);
      assert.deepEqual(pages.flat(), all, `limit ${limit}`);
      assert.equal(pages.length, Math.max(1, Math.ceil(all.length / limit)), `limit ${limit}: no empty trailing page`);
    }
    assert.deepEqual(
      (await walk('type=request.created', 1)).flat(),
      caused
        .filter((e) => e.type === 'request.created')
        .reverse()
        .map((e) => e.id),
    );
    // The parameter's older name still works.
    assert.deepEqual((await walk('', 3, 'cursor')).flat(), all);
  });

  it('filters by type, prefix, request, entity, actor and time', async () => {
    const ids = async (query: string) => ((await get(`/audit?${query}`)).body.data as Event[]).map((e) => e.id);
    const expect = (pick: (e: Event) => boolean) =>
      caused
        .filter(pick)
        .reverse()
        .map((e) => e.id);
    assert.deepEqual(
      await ids('type=request.created'),
      expect((e) => e.type === 'request.created'),
    );
    assert.deepEqual(
      await ids('type=request.*'),
      expect((e) => e.type.startsWith('request.')),
    );
    assert.deepEqual(await ids('type=request'), [], 'no prefix match without .*');
    assert.deepEqual(
      await ids(`request_id=${requestA}`),
      expect((e) => e.request_id === requestA),
    );
    assert.deepEqual(
      await ids(`request_id=${requestA}&type=request.*`),
      expect((e) => e.request_id === requestA && e.type.startsWith('request.')),
    );
    assert.deepEqual(
      await ids(`entity_id=${runtimeId}`),
      expect((e) => e.entity_id === runtimeId),
    );
    assert.deepEqual(
      await ids(`actor=${alice.id}`),
      expect((e) => e.actor.user_id === alice.id),
    );
    assert.deepEqual(
      await ids(`actor=${encodeURIComponent('ALICE@example.com')}`),
      expect((e) => e.actor.user_id === alice.id),
    );
    assert.deepEqual(
      await ids(`actor=${alice.tokenId}`),
      expect((e) => e.actor.token_id === alice.tokenId),
    );
    assert.deepEqual(await ids(`actor=${randomUUID()}`), []);
    const mid = caused[4]!.at;
    const end = caused[7]!.at;
    assert.deepEqual(
      await ids(`since=${mid}`),
      expect((e) => e.at >= mid),
      'since is inclusive',
    );
    assert.deepEqual(
      await ids(`until=${mid}`),
      expect((e) => e.at < mid),
      'until is exclusive',
    );
    assert.deepEqual(
      await ids(`since=${mid}&until=${end}`),
      expect((e) => e.at >= mid && e.at < end),
    );
    // The same instant written with an offset selects the same events.
    const shifted = new Date(Date.parse(mid) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    assert.deepEqual(
      await ids(`since=${encodeURIComponent(shifted)}`),
      expect((e) => e.at >= mid),
    );
  });

  it("lists a request's events oldest first (for GET /requests/{id})", async () => {
    const log = createAuditLog(t.cp.db.prisma);
    const events = await log.listForRequest(t.orgId, requestA);
    assert.deepEqual(
      events.map((e) => e.type),
      ['request.created', 'request.approved', 'access.escalated'],
    );
    assert.deepEqual(await log.listForRequest(t.orgId, randomUUID()), []);
  });

  it('lets members read the trail but not guests, and keeps organizations apart', async () => {
    assert.equal((await get('/audit', t.member)).status, 200);
    assert.equal((await get('/audit', alice.token)).status, 200, 'a member user token');
    const guest = await post('/users', { email: 'guest@example.com', role: 'guest' });
    const guestToken = (await post(`/users/${guest.body.id}/tokens`, {})).body.token;
    const refused = await get('/audit', guestToken);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'forbidden');
    const other = await get('/audit?limit=200', t.otherAdmin);
    assert.deepEqual(
      other.body.data.map((e: Event) => e.type),
      ['entity.created'],
    );
    assert.ok(!other.body.data.some((e: Event) => caused.some((c) => c.id === e.id)));
  });

  it('answers bad query parameters with problem+json field errors', async () => {
    const cases: [string, string[]][] = [
      ['limit=0', ['/limit']],
      ['limit=201', ['/limit']],
      ['limit=1.5', ['/limit']],
      ['limit=ten', ['/limit']],
      ['cursor=not-a-cursor!', ['/cursor']],
      [`cursor=${Buffer.from('yesterday|x').toString('base64url')}`, ['/cursor']],
      ['page_token=not-a-token!', ['/page_token']],
      ['page_token=a&cursor=b', ['/cursor']],
      ['since=yesterday', ['/since']],
      ['until=2026-01-01', ['/until']],
      ['since=2026-13-01T00:00:00Z', ['/since']],
      ['request_id=123', ['/request_id']],
      ['entity_id=x&request_id=y', ['/entity_id', '/request_id']],
      ['actor=bob', ['/actor']],
      ['type=a&type=b', ['/type']],
      ['page=2', ['/page']],
      ['type=request%25', ['/type']],
      ['type=*', ['/type']],
      ['type=request.*.x', ['/type']],
    ];
    for (const [query, pointers] of cases) {
      const res = await get(`/audit?${query}`);
      assert.equal(res.status, 422, `${query}: ${JSON.stringify(res.body)}`);
      assert.match(res.headers['content-type'], /application\/problem\+json/);
      assert.equal(res.body.code, 'validation_failed');
      assert.deepEqual(res.body.errors.map((e: { pointer: string }) => e.pointer).sort(), pointers, query);
    }
    const withOffset = await get(`/audit?since=${encodeURIComponent('2026-01-01T00:00:00+02:00')}`);
    assert.equal(withOffset.status, 200, 'offsets other than Z are accepted');
  });
});

describe('audit of configuration changes made with user tokens (PGlite)', () => {
  it('names the user behind an entity change', async () => {
    const admin = await post('/users', { email: 'ops-admin@example.com', role: 'admin' });
    const token = (await post(`/users/${admin.body.id}/tokens`, {})).body.token;
    const runtime = await post('/entities/runtimes', { name: 'by-a-person' }, token);
    assert.equal(runtime.status, 201);
    const events = (await get(`/audit?actor=ops-admin%40example.com&type=entity.*`)).body.data as Event[];
    assert.deepEqual(
      events.map((e) => [e.type, e.entity_id, e.actor.user_id]),
      [['entity.created', runtime.body.id, admin.body.id]],
    );
  });

  it('treats `_` in a type prefix literally', async () => {
    const log = createAuditLog(t.cp.db.prisma);
    await log.record({ orgId: t.orgId, type: 'access.deescalation_failed', actorTokenId: null, entityId: null, data: {} });
    await log.record({ orgId: t.orgId, type: 'access.deescalationXfailed', actorTokenId: null, entityId: null, data: {} });
    const types = async (q: string) => ((await get(`/audit?type=${q}`)).body.data as Event[]).map((e) => e.type);
    assert.deepEqual(await types('access.deescalation_failed.*'), []);
    assert.deepEqual(await types('access.*'), ['access.deescalationXfailed', 'access.deescalation_failed', 'access.escalated']);
    assert.deepEqual(await types('access.deescalation_failed'), ['access.deescalation_failed']);
    assert.deepEqual(await types('entit_.*'), []);
  });
});
