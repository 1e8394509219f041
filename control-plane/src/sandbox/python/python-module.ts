// Finds, checks and compiles the CPython (WASI) binary once per process; every Python worker
// instantiates the same compiled module, so V8 compiles its functions once.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { type WasmModule, wasm } from './wasm-api';
import { capWasmMemory } from './wasm-memory-cap';

/** Environment variable naming the CPython .wasm file (default: where scripts/install-python-wasm.sh puts it). */
export const PYTHON_WASM_SETTING = 'SYM_PYTHON_WASM';
/** SHA-256 of the pinned CPython 3.12.0 WASI build (scripts/install-python-wasm.sh checks the same). */
export const PYTHON_WASM_SHA256 = 'e5dc5a398b07b54ea8fdb503bf68fb583d533f10ec3f930963e02b9505f7a763';

/** Where the engine is looked for: `SYM_PYTHON_WASM`, else `~/.cache/opensym/python-wasi/python-3.12.0.wasm` (or under `OPENSYM_CACHE_DIR`). */
export function pythonWasmPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env[PYTHON_WASM_SETTING]) return env[PYTHON_WASM_SETTING];
  const cache = env.OPENSYM_CACHE_DIR || path.join(homedir(), '.cache', 'opensym');
  return path.join(cache, 'python-wasi', 'python-3.12.0.wasm');
}

/** Whether the Python engine is installed where {@link pythonWasmPath} looks. */
export function pythonEngineInstalled(): boolean {
  return existsSync(pythonWasmPath());
}

const compiled = new Map<number, Promise<WasmModule>>();

/** The compiled interpreter with its memory capped at `heapLimitBytes` (compiled once per cap). */
export function loadPythonModule(heapLimitBytes: number): Promise<WasmModule> {
  let module = compiled.get(heapLimitBytes);
  if (!module) {
    module = (async () => {
      const file = pythonWasmPath();
      if (!existsSync(file)) {
        throw new Error(`the Python engine is not installed (no ${file}); run scripts/install-python-wasm.sh or set ${PYTHON_WASM_SETTING}`);
      }
      const binary = readFileSync(file);
      const digest = createHash('sha256').update(binary).digest('hex');
      if (digest !== PYTHON_WASM_SHA256) throw new Error(`${file} is not the pinned CPython build (sha256 ${digest})`);
      return wasm.compile(capWasmMemory(binary, Math.ceil(heapLimitBytes / 65536)));
    })();
    compiled.set(heapLimitBytes, module);
    module.catch(() => compiled.delete(heapLimitBytes));
  }
  return module;
}
