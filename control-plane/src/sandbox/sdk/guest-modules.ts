// The SDK as the guest sees it: JavaScript evaluated inside QuickJS, never in Node (the files in
// `guest/`).
// `sym/_core` holds the implementation and the only reference to the host bridge; the public
// modules re-export from it. The worker's module normalizer lets only `sym/*` modules import
// `sym/_core`, so user code reaches the host exclusively through these functions.
import { readFileSync } from 'node:fs';

/** Name of the internal module; importable only from SDK modules. */
export const CORE_MODULE = 'sym/_core';

/** Name of the bootstrap module the worker evaluates before user code to obtain the internals. */
export const BOOT_MODULE = 'sym/_boot';

/** Internal module with `inspect` and `describe`, evaluated by the worker only when needed. */
export const DIAGNOSTICS_MODULE = 'sym/_diagnostics';

/** Internal module implementing `sym/http`. */
export const HTTP_MODULE = 'sym/_http';

/** Global the worker installs the bridge under; `sym/_core` removes it before user code runs. */
export const BRIDGE_GLOBAL = '__sym_host';

/**
 * Guest module files (in `guest/`) by module name. The files are plain ES modules, type-checked
 * against `sym-sdk.d.ts` by `guest/tsconfig.json`; they name `sym/_core`, `sym/_http` and the
 * bridge global literally (a test checks they match the constants above).
 */
export const GUEST_MODULE_FILES: Readonly<Record<string, string>> = Object.freeze({
  [CORE_MODULE]: 'core.js',
  [BOOT_MODULE]: 'boot.js',
  [DIAGNOSTICS_MODULE]: 'diagnostics.js',
  [HTTP_MODULE]: 'http-client.js',
  'sym/sdk': 'sdk.js',
  'sym/sdk/strategies': 'sdk-strategies.js',
  'sym/sdk/integrations': 'sdk-integrations.js',
  'sym/http': 'http.js',
  // Directory helpers (okta, google, github), re-exported by sym/sdk and sym/sdk/integrations.
  'sym/_directory': 'sdk-directory.js',
  // s9-helpers-b: Sym's AWS helpers and exception classes.
  'sym/_aws': 'aws.js',
  'sym/_exceptions': 'exceptions.js',
});

/**
 * The bundled build's copy of `guest/*.js` by file name, which `scripts/build.mjs` inlines (esbuild
 * `define`); undefined when running from TypeScript sources (tsx, tests).
 */
declare const __SYM_GUEST_SOURCES__: Readonly<Record<string, string>> | undefined;

/** Reads the guest module sources: inlined by the build, or from `guest/` next to this file. */
export function loadGuestSources(): Readonly<Record<string, string>> {
  const inlined = typeof __SYM_GUEST_SOURCES__ === 'undefined' ? undefined : __SYM_GUEST_SOURCES__;
  const modules: Record<string, string> = {};
  for (const [name, file] of Object.entries(GUEST_MODULE_FILES)) {
    const source = inlined ? inlined[file] : readFileSync(new URL(`./guest/${file}`, import.meta.url), 'utf8');
    if (source === undefined) throw new Error(`guest module ${file} is missing from the build`);
    modules[name] = source;
  }
  return Object.freeze(modules);
}

/** Guest module sources by module name, served by the worker's module loader. */
export const GUEST_MODULES: Readonly<Record<string, string>> = loadGuestSources();
