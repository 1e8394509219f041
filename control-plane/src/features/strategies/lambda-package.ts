/**
 * Packages a `lambda_strategy`'s `code` as a Lambda deployment zip. The zip is byte-for-byte
 * reproducible (fixed timestamps), so its SHA-256 equals the function's `CodeSha256` exactly when
 * the code is unchanged, which is how the deployer decides whether to update.
 */
import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';

/** The packaged function: zip bytes, Lambda's `CodeSha256` for them, and the handler to configure. */
export interface LambdaPackage {
  zip: Uint8Array;
  /** base64 SHA-256 of the zip, as Lambda reports `CodeSha256`. */
  codeSha256: string;
  /** `index.handler`: the module's exported `handler` function. */
  handler: string;
  fileName: string;
}

/** DOS timestamps start in 1980; any fixed value keeps the bytes stable. */
const FIXED_MTIME = new Date('1980-01-01T00:00:00Z');

/**
 * ES module sources (`export ... handler`) go in `index.mjs`, CommonJS (`exports.handler = ...`)
 * in `index.js`; Lambda's Node.js runtimes load either as `index.handler`.
 */
export function packageLambdaCode(code: string): LambdaPackage {
  const fileName = /^\s*export\s/m.test(code) ? 'index.mjs' : 'index.js';
  const zip = zipSync({ [fileName]: [strToU8(code), { mtime: FIXED_MTIME }] }, { level: 9, mtime: FIXED_MTIME });
  return { zip, codeSha256: createHash('sha256').update(zip).digest('base64'), handler: 'index.handler', fileName };
}
