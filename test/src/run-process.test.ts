import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeResult, runProcess } from './run-process';

test('runProcess captures output and the exit code', async () => {
  const result = await runProcess('sh', ['-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(result.code, 3);
  assert.equal(result.stdout, 'out\n');
  assert.equal(result.stderr, 'err\n');
  assert.match(describeResult('sh', result), /exit 3[\s\S]*out[\s\S]*err/);
});

test('runProcess kills the whole group on timeout', async () => {
  const result = await runProcess('sh', ['-c', 'sleep 30 & sleep 30'], { timeoutMs: 300 });
  assert.equal(result.timedOut, true);
  assert.ok(result.durationMs < 5000);
});
