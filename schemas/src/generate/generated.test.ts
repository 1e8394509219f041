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

test('staleFiles and strayFiles report changed, missing and left-over files', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const root = mkdtempSync(join(tmpdir(), 'opensym-gen-'));
  try {
    const files = [
      { path: 'docs/resources/a.md', content: 'a\n' },
      { path: 'docs/resources/b.md', content: 'b\n' },
      { path: 'schemas/generated/c.json', content: '{}\n' },
    ];
    mkdirSync(join(root, 'docs/resources'), { recursive: true });
    writeFileSync(join(root, 'docs/resources/a.md'), 'a\n');
    writeFileSync(join(root, 'docs/resources/b.md'), 'changed\n');
    writeFileSync(join(root, 'docs/resources/old.md'), 'gone\n');
    assert.deepEqual(staleFiles(files, root), ['docs/resources/b.md', 'schemas/generated/c.json']);
    assert.deepEqual(strayFiles(files, root), ['docs/resources/old.md']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
