import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { currentThreadId, ownThreadCpuClock, parseSchedstatCpuMs, parseStatCpuMs, recentCpuReading, threadCpuClock } from './thread-cpu';

const onLinux = process.platform === 'linux';

describe('thread CPU clock', () => {
  it('parses utime + stime of a stat line whose command name holds spaces and parentheses', () => {
    const stat = '4242 (node (worker) x) R 1 2 3 4 5 6 7 8 9 10 150 50 0 0 20 0 1';
    assert.equal(parseStatCpuMs(stat), 2000);
    assert.equal(parseStatCpuMs('not a stat line'), undefined);
  });

  it('a recent reading is read at most once per its age, and is never above the clock', () => {
    let cpu = 100;
    let reads = 0;
    let wall = 0;
    const reading = recentCpuReading(
      () => {
        reads++;
        return cpu;
      },
      20,
      () => wall,
    );
    assert.equal(reading(), 100);
    cpu = 105;
    wall = 20;
    assert.equal(reading(), 100, 'within its age the last reading serves: lower than the clock, not higher');
    assert.equal(reads, 1);
    cpu = 112;
    wall = 21;
    assert.equal(reading(), 112, 'older than its age: read anew');
    assert.equal(reads, 2);
  });

  it('parses the nanoseconds on a CPU of a schedstat line', () => {
    assert.equal(parseSchedstatCpuMs('799540087 323615390 132\n'), 799.540087);
    assert.equal(parseSchedstatCpuMs('not a schedstat line'), undefined);
    assert.equal(parseSchedstatCpuMs(''), undefined);
  });

  it('reads the current CPU time from the same open clock again and again', { skip: !onLinux && 'no /proc' }, () => {
    const clock = ownThreadCpuClock();
    const first = clock();
    assert.ok(first !== undefined);
    // Burn CPU until the clock moves (a tick is 10 ms): a clock that re-read a stale copy never would.
    let later = first;
    const giveUp = Date.now() + 5_000;
    while (later === first && Date.now() < giveUp) later = clock() ?? first;
    assert.ok(later > first, `the clock stayed at ${first} ms`);
  });

  it('answers undefined once its thread has ended, and from then on', { skip: !onLinux && 'no /proc' }, async () => {
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads'); const { readlinkSync } = require('node:fs');
       parentPort.once('message', () => process.exit(0));
       parentPort.postMessage(Number(readlinkSync('/proc/thread-self').split('/').pop()));`,
      { eval: true },
    );
    const tid = await new Promise<number>((resolve) => worker.once('message', resolve));
    const clock = threadCpuClock(tid);
    assert.ok(clock() !== undefined, 'readable while the thread runs');
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('exit');
    await exited;
    assert.equal(clock(), undefined);
    assert.equal(clock(), undefined);
    assert.ok(currentThreadId() !== tid);
  });
});
