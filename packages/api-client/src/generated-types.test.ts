import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generateTypes, outputPath, sourcePath } from '../scripts/generate';

test('the committed client types match openapi-typescript over the committed openapi.json (run `pnpm generate` if this fails)', async () => {
  assert.equal(readFileSync(outputPath, 'utf8'), await generateTypes(readFileSync(sourcePath, 'utf8')));
});
