// The few WebAssembly types the Python engine uses. The project's lib settings carry no
// WebAssembly declarations (no DOM lib), so they are declared here over Node's global.

/** A compiled module; structured-cloneable to worker threads. */
export type WasmModule = object & { readonly wasmModule?: never };

/** An instance's linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** An instantiated module. */
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

/** Import object: module name → field name → function. */
export type WasmImports = Record<string, Record<string, (...args: never[]) => number>>;

interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance;
}

/** Node's global `WebAssembly`, typed. */
export const wasm: WasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
