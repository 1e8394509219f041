import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';

/** The driver-adapter factory shape the WASM schema engine drives (connect + shadow database). */
export type MigrationAdapterFactory = SqlMigrationAwareDriverAdapterFactory;

// The project's `lib` has no WebAssembly typings; this is the one call needed.
const wasmApi = (
  globalThis as unknown as {
    WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }> };
  }
).WebAssembly;

let bindings: Promise<typeof import('@prisma/schema-engine-wasm/schema_engine_bg')> | undefined;

// Node 20 cannot import `.wasm` as an ES module (what the package entry does), so the glue JS and
// the `.wasm` of the same package are wired together by hand, once per process.
function loadBindings(): Promise<typeof import('@prisma/schema-engine-wasm/schema_engine_bg')> {
  bindings ??= (async () => {
    const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const require = createRequire(import.meta.url);
    const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const { instance } = await wasmApi.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return bindings;
}

/** Starts a WASM schema engine over a driver adapter; used by migrations at startup, migrate-dev and tests. */
export async function openSchemaEngine(adapter: MigrationAdapterFactory, datamodel?: { path: string; content: string }, log: (message: string) => void = () => {}): Promise<SchemaEngine> {
  const glue = await loadBindings();
  // The engine expects the error-capturing wrapper Prisma's own runtime puts around adapters
  // (results as `{ok, value}`, methods callable without `this`).
  const bound = bindMigrationAwareSqlAdapterFactory(adapter);
  return glue.SchemaEngine.new({ datamodels: datamodel ? [[datamodel.path, datamodel.content]] : undefined }, log, bound);
}

/** Reads `prisma/migrations` in Prisma's layout (what `prisma migrate deploy` reads too). */
export async function readMigrations(baseDir: string): Promise<MigrationList> {
  const lockPath = 'migration_lock.toml';
  const lockContent = await readFile(path.join(baseDir, lockPath), 'utf8').catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    dirs.map(async (dir) => ({
      path: dir,
      migrationFile: {
        path: 'migration.sql',
        content: await readFile(path.join(baseDir, dir, 'migration.sql'), 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (err: Error) => ({ tag: 'error' as const, value: err.message }),
        ),
      },
    })),
  );
  return {
    baseDir,
    lockfile: { path: lockPath, content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Filters that include every table (no externally managed ones). */
export const noFilters = { externalTables: [], externalEnums: [] };
