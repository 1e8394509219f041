import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noisyRow, noisyRowName } from './noisy-neighbour-rows';

const phase = (p99Ms: number, failed = 0) => ({ p99Ms, p50Ms: p99Ms / 2, total: 1000, failed });

test('the noisy-neighbour row passes only within 2x of the quiet p99, with no failures and org B really stuck', () => {
  const name = noisyRowName(10, 4, 8);
  assert.match(name, /org B keeps 8 requests/);
  const row = noisyRow(name, { quiet: phase(20), noisy: phase(30), minStuck: 4, bConcurrency: 8 });
  assert.equal(row.ok, true);
  assert.equal(row.measured, 'quiet p99 20.0 ms (p50 10.0 ms, 1000 requests), noisy p99 30.0 ms (p50 15.0 ms, 1000 requests), ratio 1.50×; org B had at least 4 host calls pending throughout');
  assert.equal(noisyRow(name, { quiet: phase(20), noisy: phase(41), minStuck: 4, bConcurrency: 8 }).ok, false);
  assert.match(
    noisyRow(name, { quiet: phase(20), noisy: phase(30), minStuck: 4, bConcurrency: 8, quietP99s: [25, 20] }).measured,
    /^quiet p99 20\.0 ms \(p50 10\.0 ms, 1000 requests; lower of before 25\.0 ms \/ after 20\.0 ms\)/,
  );
  assert.equal(noisyRow(name, { quiet: phase(20), noisy: phase(30, 2), minStuck: 4, bConcurrency: 8 }).ok, false);
  assert.equal(noisyRow(name, { quiet: phase(20), noisy: phase(30), minStuck: 0, bConcurrency: 8 }).ok, false, 'B was not stuck: nothing measured');
  assert.match(noisyRow(name, { quiet: phase(0), noisy: phase(1), minStuck: 2, bConcurrency: 8 }).measured, /ratio 1\.00×/);
  // Before the fix: every request of org A timed out behind org B's hooks.
  const starved = noisyRow(name, { quiet: phase(58), noisy: { p99Ms: 0, p50Ms: 0, total: 0, failed: 8 }, minStuck: 1, bConcurrency: 8 });
  assert.equal(starved.ok, false);
  assert.equal(starved.measured, 'quiet p99 58.0 ms (1000 requests); with org B stuck no request of org A completed (8 failed or timed out)');
});
