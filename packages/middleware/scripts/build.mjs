// Bundles the publishable form of @opensym/middleware into dist/ (index.js, express.js,
// fetch.js and their .d.ts; the `publishConfig.exports` targets). The workspace's
// @opensym/api-client is TypeScript source and not published, so it is bundled in with
// openapi-fetch, and so are their types (dts-bundle-generator inlines them; tsconfig.dts.json
// maps the package to its source so it counts as local code). express stays external: the
// adapter only imports its types, which consumers get from @types/express.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generateDtsBundle } from 'dts-bundle-generator';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = { index: 'src/index.ts', express: 'src/adapters/express.ts', fetch: 'src/adapters/fetch.ts' };
await build({
  entryPoints: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, path.join(root, file)])),
  outdir: path.join(root, 'dist'),
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['express'],
  logLevel: 'warning',
});
const declarations = generateDtsBundle(
  Object.values(entries).map((file) => ({
    filePath: path.join(root, file),
    libraries: { inlinedLibraries: ['openapi-fetch', 'openapi-typescript-helpers'] },
    output: { noBanner: true, exportReferencedTypes: false },
  })),
  { preferredConfigPath: path.join(root, 'tsconfig.dts.json') },
);
await Promise.all(Object.keys(entries).map((name, i) => writeFile(path.join(root, 'dist', `${name}.d.ts`), declarations[i])));
console.log(`built ${path.relative(process.cwd(), path.join(root, 'dist'))} (JavaScript and type declarations)`);
