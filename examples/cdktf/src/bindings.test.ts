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
  if (!existsSync(dir)) return files;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path, 'utf8'));
  }
  return files;
}

/** One line per differing file, with the first differing line, so a failure stays readable. */
function describeDrift(committed: Map<string, string>, fresh: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const path of new Set([...committed.keys(), ...fresh.keys()])) {
    const was = committed.get(path);
    const now = fresh.get(path);
    if (was === now) continue;
    if (was === undefined) problems.push(`${path}: missing from .gen/`);
    else if (now === undefined) problems.push(`${path}: no longer generated`);
    else {
      const a = was.split('\n');
      const b = now.split('\n');
      const i = a.findIndex((line, n) => line !== b[n]);
      const at = i === -1 ? a.length : i;
      problems.push(`${path}:${at + 1}: committed ${JSON.stringify(a[at] ?? '')}, generated ${JSON.stringify(b[at] ?? '')}`);
    }
  }
  return problems.sort();
}

test('committed .gen bindings match a fresh generation from providers-schema.json', async () => {
  assert.ok(existsSync(schemaPath), `missing ${schemaPath}: run \`pnpm generate\` first`);
  const outDir = await mkdtemp(join(tmpdir(), 'opensym-cdktf-bindings-'));
  try {
    await generateBindings(schemaPath, outDir);
    const drift = describeDrift(await readTree(bindingsDir), await readTree(outDir));
    assert.deepEqual(drift, [], `bindings are stale: run \`pnpm --filter @opensym/example-cdktf generate\` and commit examples/cdktf/.gen/\n${drift.join('\n')}`);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
