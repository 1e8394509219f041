// Bundles the publishable form of @opensym/middleware into dist/ (index.js, express.js,
// fetch.js; the `publishConfig.exports` targets). The workspace's @opensym/api-client is
// TypeScript source and not published, so it is bundled in with openapi-fetch; express stays
// external (the adapter only imports its types).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: { index: path.join(root, 'src/index.ts'), express: path.join(root, 'src/adapters/express.ts'), fetch: path.join(root, 'src/adapters/fetch.ts') },
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
console.log(`built ${path.relative(process.cwd(), path.join(root, 'dist'))}`);
