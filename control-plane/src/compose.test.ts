// The composition root runs job retention with the job runner (started and stopped together), and
// builds the one sandbox everything that runs guest code is handed.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { WorkflowOptions } from './compose';
import { createSandbox, type Sandbox } from './sandbox';
import { validBodies } from './test-support/entity-fixtures';
import { startTestControlPlane } from './test-support/test-control-plane';

/** Starts a control plane (jobs not running), with one job that finished `days` ago and one queued as long ago. */
async function withOldJobs(jobs: WorkflowOptions['jobs']) {
  const t = await startTestControlPlane(undefined, { workflow: { jobs } });
  await t.cp.db.prisma.$executeRaw`
    INSERT INTO "Job" ("id", "kind", "state", "runAt", "finishedAt", "updatedAt")
    VALUES (gen_random_uuid(), 'deescalate', 'done', now() - interval '30 days', now() - interval '30 days', now()),
           (gen_random_uuid(), 'no_such_kind', 'queued', now() + interval '1 day', NULL, now() - interval '30 days')`;
  const states = async () => (await t.cp.db.prisma.job.findMany({ orderBy: { state: 'asc' } })).map((j) => j.state);
  return { t, states };
}

describe('composed job runner', () => {
  it('deletes finished jobs past the default retention when jobs start; queued ones stay', async () => {
    const { t, states } = await withOldJobs(undefined);
    try {
      assert.deepEqual(await states(), ['done', 'queued']);
      // The first round starts with the runner; stop waits for it.
      t.cp.jobs.start();
      await t.cp.jobs.stop();
      assert.deepEqual(await states(), ['queued']);
    } finally {
      await t.close();
    }
  });

  it('keeps finished jobs when retention is off (null) or longer than their age', async () => {
    for (const retentionMs of [null, 60 * 86_400_000]) {
      const { t, states } = await withOldJobs({ retentionMs });
      try {
        t.cp.jobs.start();
        await t.cp.jobs.stop();
        assert.deepEqual(await states(), ['done', 'queued'], `retentionMs ${retentionMs}`);
      } finally {
        await t.close();
      }
    }
  });
});

describe('composed sandbox', () => {
  it('is the one sandbox handed to plan-time checks, hooks and the metrics (no process-wide default)', async () => {
    const real = createSandbox({ maxWorkers: 1 });
    const calls = { run: 0, check: 0, stats: 0 };
    const counting: Sandbox = {
      run: (options) => (calls.run++, real.run(options)),
      check: (source, options) => (calls.check++, real.check(source, options)),
      stats: () => (calls.stats++, real.stats()),
      close: () => real.close(),
    };
    const t = await startTestControlPlane(undefined, { sandbox: counting, metrics: true });
    try {
      const auth = { Authorization: `Bearer ${t.admin}` };
      const create = async (kind: string, body: Record<string, unknown>) => {
        const res = await t.request.post(`/api/v1/entities/${kind}`).set(auth).send(body);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body.id as string;
      };
      const bodies = await validBodies(create, 'sandbox');
      assert.ok(calls.check >= 1, 'the custom strategy was checked in the composed sandbox');
      await create('flows', { ...bodies.flows, implementation: 'export function on_request() { return null; }' });
      const checked = calls.check;
      assert.equal((await t.request.post('/api/v1/users').set(auth).send({ email: 'dev@example.com' })).status, 201);
      const requested = await t.request
        .post('/api/v1/events/request')
        .set(auth)
        .send({ flow: 'flow-sandbox', flow_inputs: { reason: 'x' }, user_email: 'dev@example.com' });
      assert.ok(calls.check === checked && calls.run >= 1, `on_request ran in the composed sandbox (${requested.status} ${JSON.stringify(requested.body)})`);
      await t.cp.metrics!.registry.metrics();
      assert.ok(calls.stats >= 1, 'the metrics read the composed sandbox');
    } finally {
      await t.close();
    }
  });
});

describe('composed control plane', () => {
  it('loads the Okta, Google and Slack Socket Mode SDKs only when they are used', async () => {
    // Each test file runs in its own process, and nothing before this point uses them. Imported
    // from ES modules, these CommonJS packages still enter the CommonJS module cache.
    const loaded = () => Object.keys(createRequire(import.meta.url).cache);
    const sdks = ['/@okta/okta-sdk-nodejs/', '/@googleapis/admin/', '/@slack/socket-mode/'];
    const t = await startTestControlPlane();
    try {
      const res = await t.request.get('/api/v1/whoami').set({ Authorization: `Bearer ${t.admin}` });
      assert.equal(res.status, 200);
      assert.deepEqual(
        sdks.filter((sdk) => loaded().some((file) => file.includes(sdk))),
        [],
        'composed and serving without them',
      );
      // The check itself can see them once something loads one (as a strategy's first call does).
      await import('@okta/okta-sdk-nodejs');
      assert.ok(loaded().some((file) => file.includes(sdks[0]!)));
    } finally {
      await t.close();
    }
  });
});
