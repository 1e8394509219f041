// The composition root runs job retention with the job runner: started and stopped together.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkflowOptions } from './compose';
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
