import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../test-support/test-control-plane';

// The e2e harness sets this to a throwaway PostgreSQL server; without it the suite is skipped.
const url = process.env.OPENSYM_TEST_DATABASE_URL;

describe('PostgreSQL server (OPENSYM_TEST_DATABASE_URL)', { skip: url ? false : 'OPENSYM_TEST_DATABASE_URL not set' }, () => {
  let t: TestControlPlane;
  before(async () => {
    t = await startTestControlPlane({ url: url! });
  });
  after(async () => {
    await t?.close();
  });
  const auth = () => ({ Authorization: `Bearer ${t.admin}` });

  it('applies migrations idempotently on a second start', async () => {
    const second = await startTestControlPlane({ url: url! });
    await second.close();
    const rows = await t.cp.db.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`;
    assert.ok(Number(rows[0]!.n) >= 1);
  });

  it('serves entity CRUD with the same rules', async () => {
    const suffix = `${Date.now()}`;
    const rt = await t.request
      .post('/api/v1/entities/runtimes')
      .set(auth())
      .send({ name: `PG-${suffix}` });
    assert.equal(rt.status, 201, JSON.stringify(rt.body));
    assert.equal(
      (
        await t.request
          .post('/api/v1/entities/runtimes')
          .set(auth())
          .send({ name: `pg-${suffix}` })
      ).status,
      409,
    );
    const env = await t.request
      .post('/api/v1/entities/environments')
      .set(auth())
      .send({ name: `env-${suffix}`, runtime_id: rt.body.id });
    assert.equal(env.status, 201);
    const blocked = await t.request.delete(`/api/v1/entities/runtimes/${rt.body.id}`).set(auth());
    assert.equal(blocked.status, 409);
    assert.equal(blocked.body.code, 'still_referenced');
    await assert.rejects(t.cp.db.prisma.entity.delete({ where: { id: rt.body.id } }), 'the foreign key holds in the database');
    const listed = await t.request.get(`/api/v1/entities/runtimes?slug=PG-${suffix}`).set(auth());
    assert.deepEqual(
      listed.body.data.map((e: { id: string }) => e.id),
      [rt.body.id],
    );
    const patched = await t.request.patch(`/api/v1/entities/environments/${env.body.id}`).set(auth()).send({ runtime_id: null, label: 'x' });
    assert.equal(patched.status, 200);
    assert.equal((await t.request.delete(`/api/v1/entities/runtimes/${rt.body.id}`).set(auth())).status, 204);
    assert.equal((await t.request.get('/healthz')).status, 200);
  });
});
