import assert from 'node:assert/strict';
import { test } from 'node:test';
import { processCpuMs } from './process-cpu';

test('processCpuMs reads a running process and grows with work', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  const before = processCpuMs(process.pid);
  assert.ok(before !== null && before >= 0);
  const until = Date.now() + 100;
  while (Date.now() < until); // busy on purpose: CPU time must advance
  assert.ok(processCpuMs(process.pid)! > before);
  assert.equal(processCpuMs(2 ** 22 + 12345), null);
});
