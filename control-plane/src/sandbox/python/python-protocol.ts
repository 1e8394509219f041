// Messages between the main thread and a Python worker (python-worker.ts). Outgoing messages
// reuse the QuickJS worker's `FromWorker` shapes; incoming ones arrive on a dedicated port the
// worker reads synchronously (receiveMessageOnPort after Atomics.wait), since its thread sits
// inside the interpreter and never returns to its event loop.
import type { MessagePort } from 'node:worker_threads';
import type { WasmModule } from './wasm-api';

/** The limits the worker itself applies to one job. */
export interface PythonJobLimits {
  memoryBytes: number;
  maxResultBytes: number;
  maxLogLines: number;
}

/** Main thread → worker, on `inPort`. `line` is one JSON line for the runner's standard input. */
export type ToPythonWorker = { type: 'job'; jobId: number; limits: PythonJobLimits; line: string } | { type: 'reply'; callId: number; reply: string };

/** Data a Python worker starts with. */
export interface PythonWorkerInit {
  /** The compiled CPython module (memory capped), shared by all workers. */
  module: WasmModule;
  argv: string[];
  /** Int32 flag the main thread sets to 1 and notifies after posting on `inPort`. */
  signal: SharedArrayBuffer;
  inPort: MessagePort;
  /** The maximum of the module's memory, in bytes. */
  heapLimitBytes: number;
  /** First line of standard input: the runner's source, the SDK and the import rules (JSON). */
  bootLine: string;
}
