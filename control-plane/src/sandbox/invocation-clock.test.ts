// The invocation clock under mocked timers: the guest budget counts only guest time (held across a
// host call), the wall clock counts everything, and neither fires once stopped.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { InvocationClock } from './invocation-clock';

describe('InvocationClock', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
  afterEach(() => mock.timers.reset());

  it('spends the guest budget only while the guest runs: a host call holds it', () => {
    let overrun = 0;
    const clock = new InvocationClock(100, () => overrun++);
    clock.resumeGuest();
    mock.timers.tick(60);
    clock.pauseGuest();
    mock.timers.tick(10_000);
    assert.equal(overrun, 0, 'no guest time passes during the host call');
    clock.resumeGuest();
    mock.timers.tick(39);
    assert.equal(overrun, 0, '99 ms of guest time so far');
    mock.timers.tick(1);
    assert.equal(overrun, 1, 'the budget is spent');
  });

  it('the wall clock counts host calls too', () => {
    let expired = 0;
    const clock = new InvocationClock(100, () => assert.fail('the guest budget is not spent'));
    clock.startWallClock(500, () => expired++);
    clock.resumeGuest();
    mock.timers.tick(50);
    clock.pauseGuest();
    mock.timers.tick(449);
    assert.equal(expired, 0);
    mock.timers.tick(1);
    assert.equal(expired, 1);
  });

  it('the wall clock counts a guest that runs without host calls but gets no CPU (a loaded machine)', () => {
    let expired = 0;
    // The CPU clock says the guest's thread has barely run: the budget is never spent.
    const clock = new InvocationClock(
      100,
      () => assert.fail('the guest budget is not spent'),
      () => 0,
    );
    clock.startWallClock(500, () => expired++);
    clock.resumeGuest();
    mock.timers.tick(499);
    assert.equal(expired, 0);
    mock.timers.tick(1);
    assert.equal(expired, 1);
  });

  it('a wall-clock limit shorter than the guest budget fires on time', () => {
    let expired = 0;
    const clock = new InvocationClock(1000, () => assert.fail('the guest budget is not spent'));
    clock.startWallClock(300, () => expired++);
    clock.resumeGuest();
    mock.timers.tick(299);
    assert.equal(expired, 0);
    mock.timers.tick(1);
    assert.equal(expired, 1);
  });

  it('fires nothing once stopped', () => {
    const clock = new InvocationClock(100, () => assert.fail('stopped'));
    clock.startWallClock(200, () => assert.fail('stopped'));
    clock.resumeGuest();
    mock.timers.tick(50);
    clock.stop();
    mock.timers.tick(10_000);
  });
});
