import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkHclBlocks } from './hcl-check';
import { parseHclBlockAt } from './hcl-outline';
import type { HclBlock } from './hcl-outline';

// The seed documents live outside the repository; point OPENSYM_SEEDS_DIR elsewhere if needed.
const seedsDir = process.env.OPENSYM_SEEDS_DIR ?? '/work/shared/seeds';
const seedFiles = existsSync(seedsDir) ? readdirSync(seedsDir).filter((f) => f.endsWith('.md')) : [];

/** Every `resource "sym_*"` / `data "sym_*"` block of a document, which mixes prose and HCL. */
function symBlocks(text: string): HclBlock[] {
  const out: HclBlock[] = [];
  const re = /^[ \t]*(resource|data)[ \t]+"sym_/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const { block, end } = parseHclBlockAt(text, m.index);
    out.push(block);
    re.lastIndex = end;
  }
  return out;
}

test('seed documents are present', { skip: seedFiles.length === 0 && `no seeds at ${seedsDir}` }, () => {
  const all = seedFiles.flatMap((f) => symBlocks(readFileSync(join(seedsDir, f), 'utf8')));
  // The seeds declare at least these; a silent zero would make the tests below vacuous.
  const types = new Set(all.map((b) => b.labels[0]));
  for (const t of ['sym_secret', 'sym_integration', 'sym_target', 'sym_strategy', 'sym_flow', 'sym_form', 'sym_strategies']) {
    assert.ok(types.has(t), t);
  }
});

for (const file of seedFiles) {
  test(`every sym_* block in seed ${file} is valid against the schemas`, () => {
    const blocks = symBlocks(readFileSync(join(seedsDir, file), 'utf8'));
    assert.deepEqual(checkHclBlocks(blocks), []);
  });
}
