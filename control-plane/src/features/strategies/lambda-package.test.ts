// Deployment packages are reproducible (the code hash decides updates) and pick the module format.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { packageLambdaCode } from './lambda-package';

describe('packageLambdaCode', () => {
  it('gives identical bytes for identical code and a different hash for changed code', () => {
    const code = 'export async function handler() { return { body: 1 }; }\n';
    const a = packageLambdaCode(code);
    const b = packageLambdaCode(code);
    assert.deepEqual(a.zip, b.zip);
    assert.equal(a.codeSha256, createHash('sha256').update(a.zip).digest('base64'));
    assert.notEqual(packageLambdaCode(code.replace('1', '2')).codeSha256, a.codeSha256);
  });

  it('puts ES modules in index.mjs and CommonJS in index.js, both with handler index.handler', () => {
    const esm = packageLambdaCode('const x = 1;\nexport const handler = async () => x;\n');
    assert.deepEqual([esm.fileName, esm.handler], ['index.mjs', 'index.handler']);
    assert.equal(strFromU8(unzipSync(esm.zip)['index.mjs']), 'const x = 1;\nexport const handler = async () => x;\n');
    const cjs = packageLambdaCode('exports.handler = async () => 1;\n');
    assert.deepEqual(Object.keys(unzipSync(cjs.zip)), ['index.js']);
  });
});
