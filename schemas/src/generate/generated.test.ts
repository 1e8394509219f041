import assert from 'node:assert/strict';
import { test } from 'node:test';
import { staleFiles, strayFiles } from './main';
import { generatedFiles } from './outputs';

test('committed generated files match the generators (run `pnpm generate` if this fails)', () => {
  const files = generatedFiles();
  assert.deepEqual(staleFiles(files), []);
  assert.deepEqual(strayFiles(files), []);
});

test('generation is deterministic and paths are unique', () => {
  const a = generatedFiles();
  const b = generatedFiles();
  assert.deepEqual(a, b);
  assert.equal(new Set(a.map((f) => f.path)).size, a.length);
});
