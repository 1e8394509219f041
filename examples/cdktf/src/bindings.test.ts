/** The committed bindings must be exactly what the generator makes from the current schema. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { generateBindings } from './generate-bindings';
import { bindingsDir, schemaPath } from './paths';

/** Every file under `dir`, keyed by its path relative to `dir`. */
async function readTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path, 'utf8'));
  }
  return files;
}

test('committed .gen bindings match a fresh generation from providers-schema.json', async () => {
  assert.ok(existsSync(schemaPath), `missing ${schemaPath}: run \`pnpm generate\` first`);
  const outDir = await mkdtemp(join(tmpdir(), 'opensym-cdktf-bindings-'));
  try {
    await generateBindings(schemaPath, outDir);
    const fresh = await readTree(outDir);
    const committed = await readTree(bindingsDir);
    const hint = 'bindings are stale: run `pnpm --filter @opensym/example-cdktf generate` and commit .gen/';
    assert.deepEqual([...committed.keys()].sort(), [...fresh.keys()].sort(), hint);
    for (const [path, content] of fresh) assert.equal(committed.get(path), content, `${path}: ${hint}`);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
