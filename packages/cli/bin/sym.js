#!/usr/bin/env node
// The `sym` command: runs the bundle that `pnpm build` writes (dist/sym.js), or, in a checkout
// that has not been built, the TypeScript source through tsx.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/sym.js', import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/main.ts', import.meta.url).href);
}
