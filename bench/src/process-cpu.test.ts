import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { postmasterPid, processCpuMs, processTreeCpuMs, threadCpuMs } from './process-cpu';

test('processCpuMs reads a running process and grows with work', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  const before = processCpuMs(process.pid);
  assert.ok(before !== null && before >= 0);
  const until = Date.now() + 100;
  while (Date.now() < until); // busy on purpose: CPU time must advance
  assert.ok(processCpuMs(process.pid)! > before);
  assert.equal(processCpuMs(2 ** 22 + 12345), null);
});

test('threadCpuMs splits the main thread from the others', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  const before = threadCpuMs(process.pid)!;
  const until = Date.now() + 100;
  while (Date.now() < until); // busy on the main thread
  const after = threadCpuMs(process.pid)!;
  assert.ok(after.main > before.main);
  assert.ok(after.others >= before.others);
  assert.equal(threadCpuMs(2 ** 22 + 12345), null);
});

test('processTreeCpuMs counts a child process', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  // The child does a fixed amount of work and is reaped by execFileSync: its CPU time shows in ours
  // (cutime), measured against what the child itself reports.
  const before = processTreeCpuMs(process.pid)!;
  const out = execFileSync(process.execPath, ['-e', 'let s = 0; for (let i = 0; i < 3e8; i++) s += i; const u = process.cpuUsage(); console.log((u.user + u.system) / 1000);'], { encoding: 'utf8' });
  const childMs = Number(out.trim());
  assert.ok(processTreeCpuMs(process.pid)! - before >= childMs * 0.8, `child used ${childMs} ms`);
  assert.equal(processTreeCpuMs(2 ** 22 + 12345), null);
});

test('postmasterPid finds no server on a port nothing listens on', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  assert.equal(postmasterPid(1), null);
});
