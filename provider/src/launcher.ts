/**
 * The `terraform-provider-sym` executable: runs the bundled provider (`provider.cjs` beside it)
 * with a V8 code cache, because Terraform starts the provider two to four times per command
 * and parsing and compiling the ~1 MB bundle is a large share of each start.
 *
 * Node 22's `module.enableCompileCache()` does this for every module; Node 20 has no such switch,
 * so the launcher compiles the bundle as a `vm.Script` with `cachedData`. The cache is written
 * after start-up (not at compile time, as require hooks like v8-compile-cache do), so it holds
 * the functions start-up compiled lazily too. It lives in the user's cache directory, keyed by
 * the bundle's hash and the Node version and platform; V8 rejects a cache that does not fit its
 * version or flags, and the launcher then compiles normally and replaces the file. Set
 * NODE_DISABLE_COMPILE_CACHE=1 (Node 22's switch) to run without it.
 */
import type * as Crypto from 'node:crypto';
import type * as Fs from 'node:fs';
import type * as NodeModule from 'node:module';
import type * as Os from 'node:os';
import type * as Path from 'node:path';
import type * as Vm from 'node:vm';

type Builtins = [typeof Crypto, typeof Fs, typeof Path, typeof Os, typeof Vm, typeof NodeModule];

/** Start-up is over well within this; the cache then also holds what it compiled lazily. */
const WRITE_AFTER_MS = 1000;
/** Caches kept per user (one per provider build and Node version); older ones are pruned. */
const KEEP_CACHES = 4;

// This file has no extension, so Node runs it as CommonJS or as an ES module depending on the
// nearest package.json. The build puts one saying "commonjs" beside it; should the launcher run
// without it (under a user's `"type": "module"` project it would be ESM), it still works. Hence no static import, __dirname or import.meta: require() where it
// exists, else dynamic import(), and process.argv[1], the path Node resolved for this file.
void (async () => {
  // require() when there is one: a dynamic import() also starts Node's ES module loader (~10 ms).
  const [crypto, fs, path, os, vm, { createRequire }] =
    typeof require === 'function'
      ? ([require('node:crypto'), require('node:fs'), require('node:path'), require('node:os'), require('node:vm'), require('node:module')] as Builtins)
      : await Promise.all([import('node:crypto'), import('node:fs'), import('node:path'), import('node:os'), import('node:vm'), import('node:module')]);
  const dir = path.dirname(fs.realpathSync(process.argv[1]!));
  const bundle = path.join(dir, 'provider.cjs');
  const source = fs.readFileSync(bundle, 'utf8');
  const cacheFile = compileCachePath({ crypto, fs, path }, os.homedir(), source);
  const cachedData = cacheFile ? readIfPresent(fs, cacheFile) : undefined;

  // The same wrapper Node puts around a CommonJS module, so the bundle runs as if required.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  const bundleModule = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(bundleModule.exports, createRequire(bundle), bundleModule, bundle, dir);

  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    let written = false;
    const write = (): void => {
      if (written) return;
      written = true;
      saveCache({ fs, path }, cacheFile, script.createCachedData());
    };
    setTimeout(write, WRITE_AFTER_MS).unref();
    // Short-lived starts (Terraform reads the schema and shuts the first process down at once).
    process.once('exit', write);
  }
})();

/** The cache file for this bundle under this Node, or undefined when caching is off or impossible. */
function compileCachePath(m: { crypto: typeof Crypto; fs: typeof Fs; path: typeof Path }, home: string, text: string): string | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  try {
    const base = process.env.XDG_CACHE_HOME || m.path.join(home, '.cache');
    const dir = m.path.join(base, 'opensym', 'provider-compile-cache');
    m.fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const key = m.crypto.createHash('sha256').update(text).update('\0').update(process.version).update('\0').update(process.arch).digest('hex');
    return m.path.join(dir, `${key.slice(0, 32)}.v8`);
  } catch {
    return undefined;
  }
}

function readIfPresent(fs: typeof Fs, file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes atomically (concurrent provider processes may race) and prunes old caches; never throws. */
function saveCache(m: { fs: typeof Fs; path: typeof Path }, file: string, data: Buffer): void {
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    m.fs.writeFileSync(tmp, data, { mode: 0o600 });
    m.fs.renameSync(tmp, file);
    const dir = m.path.dirname(file);
    const old = m.fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.v8'))
      .map((n) => ({ path: m.path.join(dir, n), mtime: m.fs.statSync(m.path.join(dir, n)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime)
      .slice(KEEP_CACHES);
    for (const o of old) m.fs.rmSync(o.path, { force: true });
  } catch {
    // A cache is an optimisation; a read-only home directory must not break the provider.
  }
}
