import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SLACK_ROW_NAMES, slackRows } from './slack-rows';

describe('slack rows', () => {
  it('gives the ack and update rows, each judged against its target', () => {
    const s = (p99: number) => ({ p50: p99 / 2, p99, max: p99 * 2, n: 200 });
    const fast = slackRows({ concurrency: 50, rounds: 4, ack: s(40), updated: s(800) });
    assert.deepEqual(
      fast.map((r) => r.benchmark),
      [...SLACK_ROW_NAMES],
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
});
