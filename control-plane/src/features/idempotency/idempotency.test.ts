// Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) on POST /events/request and on
// approve/deny/revoke: same key and request → the first answer again; another request with the
// key → 422; a retry while the first runs → 409; 5xx answers are not kept; keys expire.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { pino } from 'pino';
import supertest from 'supertest';
import { after, before, describe, it } from 'node:test';
import { problemHandler } from '../../errors/problem-handler';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import type { StrategyRegistry } from '../strategies/access-strategy';
import { createIdempotency } from './idempotency-middleware';
import { parseIdempotencyKey } from './idempotency-key-header';
import { createIdempotencyStore } from './idempotency-store';

const strategies: StrategyRegistry = { runnerFor: () => ({ escalate: async () => ({}), deescalate: async () => ({}) }) };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
let t: TestControlPlane;
/** User tokens: a member who requests, another member, and an admin who decides. */
let requester: string;
let colleague: string;
let boss: string;

async function userToken(email: string, role: string): Promise<string> {
  const user = await t.request.post('/api/v1/users').set(bearer(t.admin)).send({ email, role });
  assert.equal(user.status, 201, JSON.stringify(user.body));
  const issued = await t.request.post(`/api/v1/users/${user.body.id}/tokens`).set(bearer(t.admin)).send({});
  return issued.body.token as string;
}

before(async () => {
  t = await startTestControlPlane(undefined, { workflow: { strategies } });
  const env = await t.request.post('/api/v1/entities/environments').set(bearer(t.admin)).send({ name: 'idem' });
  assert.equal(env.status, 201, JSON.stringify(env.body));
  const flow = await t.request
    .post('/api/v1/entities/flows')
    .set(bearer(t.admin))
    .send({ name: 'idem', implementation: 'export function on_request(event) {}\n', environment_id: env.body.id, params: {} });
  assert.equal(flow.status, 201, JSON.stringify(flow.body));
  requester = await userToken('requester@example.com', 'member');
  colleague = await userToken('colleague@example.com', 'member');
  boss = await userToken('boss@example.com', 'admin');
});
after(async () => {
  await t?.close();
});

const ask = (token: string, key: string | undefined, body: object) => {
  const req = t.request.post('/api/v1/events/request').set(bearer(token));
  if (key !== undefined) req.set('Idempotency-Key', key);
  return req.send(body);
};
const countRequests = async () => (await t.request.get('/api/v1/requests?limit=200').set(bearer(t.admin))).body.data.length as number;

describe('Idempotency-Key on the request API', () => {
  it('replays the first answer (status, body, Location) for a retry with the same key and body; creates one request', async () => {
    const key = `"${randomUUID()}"`;
    const before = await countRequests();
    const first = await ask(requester, key, { flow: 'idem', flow_inputs: {} });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const retry = await ask(requester, key, { flow: 'idem', flow_inputs: {} });
    assert.equal(retry.status, 201);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.deepEqual(retry.body, first.body);
    assert.equal(retry.headers.location, first.headers.location);
    assert.equal(await countRequests(), before + 1);
  });

  it('answers 422 problem+json when the key comes back with a different body', async () => {
    const key = `"${randomUUID()}"`;
    assert.equal((await ask(requester, key, { flow: 'idem', flow_inputs: {} })).status, 201);
    const other = await ask(requester, key, { flow: 'idem', flow_inputs: {}, reason: 'another request' });
    assert.equal(other.status, 422);
    assert.match(other.headers['content-type'] ?? '', /application\/problem\+json/);
    assert.equal(other.body.code, 'idempotency_key_reused');
  });

  it('scopes keys per token: the same key from another token is another request', async () => {
    const key = `"${randomUUID()}"`;
    const a = await ask(requester, key, { flow: 'idem', flow_inputs: {} });
    const b = await ask(colleague, key, { flow: 'idem', flow_inputs: {} });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.notEqual(a.body.id, b.body.id);
  });

  it('without the header every POST is a new request', async () => {
    const a = await ask(requester, undefined, { flow: 'idem', flow_inputs: {} });
    const b = await ask(requester, undefined, { flow: 'idem', flow_inputs: {} });
    assert.notEqual(a.body.id, b.body.id);
  });

  it('replays approve, deny and revoke answers; the same key on another request id is a 422', async () => {
    const created = await ask(colleague, undefined, { flow: 'idem', flow_inputs: {} });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const key = randomUUID(); // a bare token is accepted too
    const approve = () => t.request.post(`/api/v1/requests/${created.body.id}/approve`).set(bearer(boss)).set('Idempotency-Key', key);
    const first = await approve();
    assert.equal(first.status, 200, JSON.stringify(first.body));
    // Without the key a second approve is refused (invalid_state); with it the first answer comes back.
    const retry = await approve();
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.deepEqual(retry.body, first.body);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    const plain = await t.request.post(`/api/v1/requests/${created.body.id}/approve`).set(bearer(boss));
    assert.equal(plain.status, 409);

    const another = await ask(colleague, undefined, { flow: 'idem', flow_inputs: {} });
    const reused = await t.request.post(`/api/v1/requests/${another.body.id}/approve`).set(bearer(boss)).set('Idempotency-Key', key);
    assert.equal(reused.status, 422);
    assert.equal(reused.body.code, 'idempotency_key_reused');

    const denied = await t.request.post(`/api/v1/requests/${another.body.id}/deny`).set(bearer(boss)).set('Idempotency-Key', key).send({ reason: 'no' });
    assert.equal(denied.status, 200, JSON.stringify(denied.body)); // another operation: its own key space
    const deniedAgain = await t.request.post(`/api/v1/requests/${another.body.id}/deny`).set(bearer(boss)).set('Idempotency-Key', key).send({ reason: 'no' });
    assert.deepEqual([deniedAgain.status, deniedAgain.body], [200, denied.body]);

    const revokeKey = `"${randomUUID()}"`;
    const revoke = () => t.request.post(`/api/v1/requests/${created.body.id}/revoke`).set(bearer(boss)).set('Idempotency-Key', revokeKey);
    const r1 = await revoke();
    const r2 = await revoke();
    assert.equal(r2.headers['idempotent-replayed'], 'true');
    assert.deepEqual([r2.status, r2.body], [r1.status, r1.body]);
  });

  it('refuses a malformed key with 400', async () => {
    for (const bad of ['""', '"unterminated', '"caf\u00e9"', `"${'x'.repeat(256)}"`]) {
      const res = await ask(requester, bad, { flow: 'idem', flow_inputs: {} });
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.code, 'invalid_idempotency_key');
    }
    assert.equal(parseIdempotencyKey('"a\\"b"'), 'a"b');
  });
});

describe('idempotency middleware', () => {
  /** An app whose handler waits at a gate; `fail` makes it throw (a 500). */
  function gatedApp(now = () => new Date()) {
    const store = createIdempotencyStore(t.cp.db.prisma);
    const idempotent = createIdempotency({ store, logger: pino({ level: 'silent' }), now });
    let open: () => void = () => {};
    let gate = Promise.resolve();
    let runs = 0;
    let fail = false;
    const app = express();
    app.use(express.json());
    app.use((_req, res, next) => {
      res.locals.identity = { tokenId: randomUUID(), org: { id: t.orgId, slug: 'x' }, role: 'admin', userId: null, lastUsedAt: null };
      res.locals.identity.tokenId = '00000000-0000-4000-8000-000000000001';
      next();
    });
    app.post('/op', idempotent('POST /op'), async (req, res) => {
      runs++;
      await gate;
      if (fail) throw new Error('boom');
      res.status(201).json({ run: runs, echo: req.body });
    });
    app.use(problemHandler(pino({ level: 'silent' })));
    return {
      request: supertest(app),
      hold: () => (gate = new Promise<void>((r) => (open = r))),
      release: () => open(),
      runs: () => runs,
      failNext: (v: boolean) => (fail = v),
    };
  }

  it('answers 409 to a duplicate while the first is in flight, then replays the first answer', async () => {
    const app = gatedApp();
    const key = `"${randomUUID()}"`;
    app.hold();
    const first = app.request
      .post('/op')
      .set('Idempotency-Key', key)
      .send({ a: 1 })
      .then((r) => r);
    // The first has claimed the key once its handler runs.
    while (app.runs() === 0) await new Promise((r) => setImmediate(r));
    const dup = await app.request.post('/op').set('Idempotency-Key', key).send({ a: 1 });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, 'idempotency_key_in_flight');
    app.release();
    const answered = await first;
    assert.equal(answered.status, 201);
    const retry = await app.request.post('/op').set('Idempotency-Key', key).send({ a: 1 });
    assert.deepEqual([retry.status, retry.body], [201, answered.body]);
    assert.equal(app.runs(), 1);
  });

  it('does not keep a 5xx: a retry runs again', async () => {
    const app = gatedApp();
    const key = `"${randomUUID()}"`;
    app.failNext(true);
    assert.equal((await app.request.post('/op').set('Idempotency-Key', key).send({ a: 1 })).status, 500);
    app.failNext(false);
    const retry = await app.request.post('/op').set('Idempotency-Key', key).send({ a: 1 });
    assert.equal(retry.status, 201);
    assert.equal(app.runs(), 2);
  });

  it('forgets a key after its expiry, and pruning deletes expired keys', async () => {
    let clock = new Date('2026-01-01T00:00:00Z');
    const app = gatedApp(() => clock);
    const key = `"${randomUUID()}"`;
    assert.equal((await app.request.post('/op').set('Idempotency-Key', key).send({ a: 1 })).status, 201);
    assert.equal((await app.request.post('/op').set('Idempotency-Key', key).send({ a: 2 })).status, 422);
    clock = new Date(clock.getTime() + 24 * 3600_000 + 1);
    const later = await app.request.post('/op').set('Idempotency-Key', key).send({ a: 2 });
    assert.equal(later.status, 201);
    assert.equal(later.body.echo.a, 2);
    const store = createIdempotencyStore(t.cp.db.prisma);
    assert.ok((await store.prune(new Date(clock.getTime() + 24 * 3600_000 + 1))) >= 1);
    const again = await app.request.post('/op').set('Idempotency-Key', key).send({ a: 3 });
    assert.equal(again.status, 201);
  });
});
