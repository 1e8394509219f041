// Bundles the CLI into dist/sym.js (run by bin/sym.js). The CLI's own npm dependencies stay
// external (resolved from its node_modules at run time); the workspace's @opensym/api-client is
// TypeScript source, which Node cannot load, so it is bundled in together with its runtime
// dependency openapi-fetch (which the CLI's folder cannot resolve).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const external = Object.entries(pkg.dependencies ?? {})
  .filter(([, version]) => !String(version).startsWith('workspace:'))
  .flatMap(([name]) => [name, `${name}/*`]);

await build({
  entryPoints: { sym: path.join(root, 'src', 'main.ts') },
  outdir: path.join(root, 'dist'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external,
  logLevel: 'warning',
});
console.log(`built ${path.relative(process.cwd(), path.join(root, 'dist', 'sym.js'))}`);
