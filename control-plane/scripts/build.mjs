// Bundles the server into dist/server.js and the sandbox's worker threads into
// dist/sandbox-worker.js and dist/python-worker.js, which start-worker.ts and
// start-python-worker.ts load from next to the module that holds them (the server bundle). Dependencies stay external (resolved from node_modules at run time: PGlite,
// Prisma and QuickJS load their own .wasm files); workspace packages are TypeScript sources,
// which Node cannot load, so they are bundled in.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const external = Object.entries(pkg.dependencies ?? {})
  .filter(([, version]) => !String(version).startsWith('workspace:'))
  .flatMap(([name]) => [name, `${name}/*`]);
// The QuickJS engine and its WASM variant must stay external: the variant finds its .wasm file
// relative to its own module. They are dependencies, so the list above has them; fail loudly if not.
for (const name of ['quickjs-emscripten-core', '@jitl/quickjs-wasmfile-release-sync']) {
  if (!external.includes(name)) throw new Error(`${name} must be a dependency of the control plane (kept external)`);
}

// The guest SDK (plain .js files evaluated inside QuickJS) is inlined as text: the bundle has no
// src/ folder to read them from. sandbox/sdk/guest-modules.ts reads this define, or the files
// themselves when run from sources.
const guestDir = path.join(root, 'src', 'sandbox', 'sdk', 'guest');
const guestSources = Object.fromEntries(
  readdirSync(guestDir)
    .filter((file) => file.endsWith('.js'))
    .map((file) => [file, readFileSync(path.join(guestDir, file), 'utf8')]),
);

// The Python runner and SDK (guest/*.py, read by sandbox/python/python-guest.ts) likewise.
const pythonGuestDir = path.join(root, 'src', 'sandbox', 'python', 'guest');
const pythonGuestSources = Object.fromEntries(
  readdirSync(pythonGuestDir)
    .filter((file) => file.endsWith('.py'))
    .map((file) => [file, readFileSync(path.join(pythonGuestDir, file), 'utf8')]),
);

await build({
  entryPoints: {
    server: path.join(root, 'src', 'server.ts'),
    'sandbox-worker': path.join(root, 'src', 'sandbox', 'sandbox-worker.ts'),
    'python-worker': path.join(root, 'src', 'sandbox', 'python', 'python-worker.ts'),
  },
  outdir: path.join(root, 'dist'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external,
  define: { __SYM_GUEST_SOURCES__: JSON.stringify(guestSources), __SYM_PYTHON_GUEST_SOURCES__: JSON.stringify(pythonGuestSources) },
  // Bundled CommonJS (if any) needs `require`; ESM output has none by default.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
for (const file of ['server.js', 'sandbox-worker.js', 'python-worker.js']) console.log(`built ${path.relative(process.cwd(), path.join(root, 'dist', file))}`);
