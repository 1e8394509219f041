// The scheduler alone: run slots, per-tenant caps, round-robin and resumptions first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FairScheduler } from './fair-scheduler';

describe('FairScheduler', () => {
  it('serves tenants round-robin, caps admitted invocations per tenant, and resumes before new starts', () => {
    const order: string[] = [];
    const scheduler = new FairScheduler({ slots: 1, perTenant: 2, canStart: () => true });
    const start = (tenant: string, label: string) =>
      scheduler.start(
        tenant,
        () => order.push(label),
        () => undefined,
      );
    start('b', 'b1');
    start('b', 'b2');
    start('b', 'b3');
    start('a', 'a1');
    assert.deepEqual(order, ['b1'], 'one run slot');
    // b1 waits on a host call: its slot goes to the next tenant in turn.
    scheduler.pause();
    assert.deepEqual(order, ['b1', 'a1']);
    // a1 ends; b1's host call answered meanwhile: b1 resumes before b2 starts.
    scheduler.resume('b', () => order.push('b1 resumed'));
    scheduler.finish('a', true);
    assert.deepEqual(order, ['b1', 'a1', 'b1 resumed']);
    scheduler.pause();
    assert.deepEqual(order, ['b1', 'a1', 'b1 resumed', 'b2']);
    // b1 and b2 are both admitted (b1 parked): b3 waits for b's cap, not for the slot.
    scheduler.pause();
    assert.deepEqual(order.at(-1), 'b2');
    assert.deepEqual(scheduler.snapshot(), { running: 0, admitted: { b: 2 }, waiting: 1 });
    scheduler.finish('b', false);
    assert.deepEqual(order.at(-1), 'b3');
  });

  it('starts nothing without an idle thread, and reports how many starts wait only for one', () => {
    let threads = 0;
    const granted: string[] = [];
    const scheduler = new FairScheduler({ slots: 2, perTenant: 1, canStart: () => threads > 0 });
    scheduler.start(
      'a',
      () => granted.push('a'),
      () => undefined,
    );
    scheduler.start(
      'a',
      () => granted.push('a2'),
      () => undefined,
    );
    scheduler.start(
      'b',
      () => granted.push('b'),
      () => undefined,
    );
    assert.deepEqual(granted, []);
    // Two slots, one start per tenant under the cap: two threads would be used now.
    assert.equal(scheduler.startsWaitingForThread(), 2);
    threads = 1;
    scheduler.pump();
    assert.deepEqual(granted, ['a', 'b']);
  });
});
