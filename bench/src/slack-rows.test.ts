import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slackRowNames, slackRows } from './slack-rows';

describe('slack rows', () => {
  const s = (p99: number) => ({ p50: p99 / 2, p99, max: p99 * 2, n: 200 });

  it('gives the ack and update rows, each judged against its target', () => {
    const fast = slackRows({ concurrency: 50, rounds: 4, ack: s(40), updated: s(800) });
    assert.deepEqual(
      fast.map((r) => r.benchmark),
      slackRowNames('pglite'),
    );
    assert.equal(fast[0]!.measured, 'p99 40.0 ms (p50 20.0 ms, max 80.0 ms, n=200)');
    assert.deepEqual(
      fast.map((r) => [r.target, r.ok]),
      [
        ['p99 ≤ 100 ms', true],
        ['p99 ≤ 1,000 ms', true],
      ],
    );
    const slow = slackRows({ concurrency: 50, rounds: 4, ack: s(150), updated: s(1500) });
    assert.deepEqual(
      slow.map((r) => r.ok),
      [false, false],
    );
  });

  it('names the database and shows the load average and CPU time of the run', () => {
    const rows = slackRows({ concurrency: 50, rounds: 4, ack: s(40), updated: s(800), loadAverage: { start: 3.1, end: 4.5 }, cpuMsPerApproval: 12.5 }, 'postgres');
    assert.match(rows[0]!.benchmark, /\(PostgreSQL 15\)$/);
    assert.match(rows[1]!.benchmark, /\(PostgreSQL 15\)$/);
    assert.notEqual(rows[0]!.benchmark, slackRowNames('pglite')[0]);
    assert.equal(rows[1]!.measured, 'p99 800 ms (p50 400 ms, max 1,600 ms, n=200; load avg 3.1→4.5; CPU 12.5 ms/approval)');
  });

  it('shows the warm-up round apart; only the measured rounds are judged', () => {
    const rows = slackRows({ concurrency: 50, rounds: 4, ack: s(40), updated: s(800), warmUp: { rounds: 1, ack: s(60), updated: s(1200) } });
    assert.equal(rows[1]!.measured, 'p99 800 ms (p50 400 ms, max 1,600 ms, n=200; warm-up round p99 1,200 ms)');
    assert.deepEqual(
      rows.map((r) => r.ok),
      [true, true],
    );
  });
});
