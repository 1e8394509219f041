// Bundles the provider into one CommonJS file plus a launcher, laid out as an unpacked filesystem
// mirror package (protocol notes §5.2) at the repository root:
//   dist/terraform-mirror/opensym.dev/opensym/sym/<version>/<os>_<arch>/{provider.cjs,terraform-provider-sym,package.json}
// Nothing else goes in that folder: Terraform hashes every file in it into the lock file.
// package.json says "commonjs" so Node runs the extensionless launcher as CommonJS even inside a
// `"type": "module"` project (the ES module loader costs ~30-40 ms per start).
// The launcher (src/launcher.ts) runs provider.cjs with a V8 code cache; CommonJS because Node 20
// can cache compiled code only for scripts, not for ES modules.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const providerDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(providerDir, '..');
const { version } = JSON.parse(readFileSync(join(providerDir, 'package.json'), 'utf8'));
const goOs = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform] ?? process.platform;
const goArch = { x64: 'amd64', arm64: 'arm64', ia32: '386' }[process.arch] ?? process.arch;
// `--out-dir DIR` builds the package elsewhere (the launcher test does).
const outArg = process.argv.indexOf('--out-dir');
const outDir = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(repoRoot, 'dist/terraform-mirror/opensym.dev/opensym/sym', version, `${goOs}_${goArch}`);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

// The GetProviderSchema answer, encoded now rather than in every command's first provider process.
const schemaResponse = execFileSync(process.execPath, ['--import', 'tsx', join(providerDir, 'scripts/encode-schema-response.ts')], { cwd: providerDir, encoding: 'utf8' });

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: false, legalComments: 'none', logLevel: 'warning' };

await build({
  ...common,
  entryPoints: [join(providerDir, 'src/main.ts')],
  outfile: join(outDir, 'provider.cjs'),
  // Less text for V8 to scan at a start without a code cache; identifiers stay, so logged
  // stacks stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  define: { __OPENSYM_SCHEMA_RESPONSE__: JSON.stringify(schemaResponse) },
  plugins: [sideEffectFree()],
});

const launcher = join(outDir, 'terraform-provider-sym');
await build({
  ...common,
  entryPoints: [join(providerDir, 'src/launcher.ts')],
  outfile: launcher,
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync(launcher, 0o755);
writeFileSync(join(outDir, 'package.json'), '{ "type": "commonjs" }\n');
console.log(`built ${outDir}`);

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
