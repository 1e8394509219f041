// /readyz: ready only when the database answers, every migration is applied and the job runner
// runs (unless this process is configured without jobs); otherwise 503 naming what is not ready.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import supertest from 'supertest';
import { composeControlPlane } from '../../compose';
import { startTestControlPlane } from '../../test-support/test-control-plane';

const pointers = (body: { errors?: { pointer: string }[] }) => (body.errors ?? []).map((e) => e.pointer).sort();

describe('GET /readyz', () => {
  it('is 200 with every check ok while jobs run, and 503 naming the job runner once it stops', async () => {
    const t = await startTestControlPlane(undefined, { startJobs: true });
    try {
      const ready = await t.request.get('/readyz');
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.deepEqual(ready.body, { status: 'ready', checks: { database: 'ok', migrations: 'ok', jobs: 'running' } });
      await t.cp.jobs.stop();
      const stopped = await t.request.get('/readyz');
      assert.equal(stopped.status, 503);
      assert.match(stopped.headers['content-type'] ?? '', /application\/problem\+json/);
      assert.equal(stopped.body.code, 'unavailable');
      assert.deepEqual(pointers(stopped.body), ['/checks/jobs']);
      assert.match(stopped.body.detail, /job runner is not running/);
      // Liveness is unaffected: the process is alive, it just should not get traffic.
      assert.equal((await t.request.get('/healthz')).status, 200);
    } finally {
      await t.close();
    }
  });

  it('is 503 naming a migration the database lacks', async () => {
    const t = await startTestControlPlane(undefined, { startJobs: true });
    try {
      await t.cp.db.prisma.$executeRaw`DELETE FROM "_prisma_migrations" WHERE migration_name LIKE '%idempotency_keys'`;
      const res = await t.request.get('/readyz');
      assert.equal(res.status, 503);
      assert.deepEqual(pointers(res.body), ['/checks/migrations']);
      assert.match(res.body.detail, /not applied: \d+_idempotency_keys/);
    } finally {
      await t.close();
    }
  });

  it('is 503 naming the database once it is closed', async () => {
    const t = await startTestControlPlane(undefined, { startJobs: true });
    await t.cp.db.close();
    const res = await t.request.get('/readyz');
    assert.equal(res.status, 503);
    assert.deepEqual(pointers(res.body), ['/checks/database']);
    await t.cp.jobs.stop();
  });

  it('does not wait for a job runner in a process configured without jobs (SYM_JOBS=off)', async () => {
    const cp = await composeControlPlane({ location: { memory: true }, logger: pino({ level: 'silent' }), jobsEnabled: false });
    try {
      const res = await supertest(cp.app).get('/readyz');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.checks.jobs, 'off');
    } finally {
      await cp.db.close();
    }
  });
});
