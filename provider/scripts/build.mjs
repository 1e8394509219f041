// Bundles the provider into one ESM file plus a launcher, laid out as an unpacked filesystem
// mirror package (protocol notes §5.2) at the repository root:
//   dist/terraform-mirror/opensym.dev/opensym/sym/<version>/<os>_<arch>/{provider.mjs,terraform-provider-sym}
// Nothing else goes in that folder: Terraform hashes every file in it into the lock file.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const providerDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(providerDir, '..');
const { version } = JSON.parse(readFileSync(join(providerDir, 'package.json'), 'utf8'));
const goOs = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform] ?? process.platform;
const goArch = { x64: 'amd64', arm64: 'arm64', ia32: '386' }[process.arch] ?? process.arch;
const outDir = join(repoRoot, 'dist/terraform-mirror/opensym.dev/opensym/sym', version, `${goOs}_${goArch}`);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

await build({
  entryPoints: [join(providerDir, 'src/main.ts')],
  outfile: join(outDir, 'provider.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Less text for V8 to scan at every start; identifiers stay, so logged stacks stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [sideEffectFree()],
  // CommonJS dependencies (grpc-js, protobufjs) call require(); ESM has none unless we make one.
  banner: {
    js: "import { createRequire as __osCreateRequire } from 'node:module'; const require = __osCreateRequire(import.meta.url);",
  },
});

/**
 * The schema package's index also exports the API validators (ajv), which the provider never
 * calls. Marking those modules side-effect free lets esbuild drop them, saving tens of ms at
 * each of the 2-4 process starts per terraform command.
 */
function sideEffectFree() {
  const unused = /(\/node_modules\/(ajv|ajv-formats|fast-uri|fast-deep-equal|json-schema-traverse)\/|\/schemas\/src\/ajv\.ts$)/;
  return {
    name: 'side-effect-free',
    setup(b) {
      b.onResolve({ filter: /ajv|uri|deep-equal|json-schema/ }, async (args) => {
        if (args.pluginData?.sideEffectFree) return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { sideEffectFree: true } });
        if (r.errors.length) return { errors: r.errors };
        return unused.test(r.path) ? { path: r.path, sideEffects: false } : { path: r.path };
      });
    },
  };
}

const launcher = join(outDir, 'terraform-provider-sym');
writeFileSync(launcher, '#!/bin/sh\nexec node "$(dirname "$0")/provider.mjs" "$@"\n');
chmodSync(launcher, 0o755);
console.log(`built ${outDir}`);
