// Entry point of a Python sandbox worker thread: one CPython (WASI) interpreter that lives inside
// `_start` for the whole life of the thread. Everything reaches it through the WASI shim: jobs
// and host replies are read from fd 0 (this thread blocks in Atomics.wait until the main thread
// posts one), protocol lines come out on fd 1. The thread's event loop never runs again once the
// interpreter starts, so nothing of Node is reachable from it besides these functions.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { SandboxErrorCode } from '../sandbox-error';
import type { FromWorker, WorkerError, WorkerOutcome } from '../worker-protocol';
import { ProcExit, createWasiImports } from './wasi-shim';
import type { PythonJobLimits, PythonWorkerInit, ToPythonWorker } from './python-protocol';
import { type WasmImports, type WasmInstance, type WasmMemory, wasm } from './wasm-api';

const port = parentPort;
if (!port) throw new Error('python-worker must run in a worker thread');
const init = workerData as PythonWorkerInit;
const signal = new Int32Array(init.signal);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface CurrentJob {
  jobId: number;
  limits: PythonJobLimits;
  heapAtStart: number;
  logLines: number;
  readSecret: boolean;
  /** Host call whose reply the guest waits for (older replies are skipped). */
  callId: number;
}

let current: CurrentJob | undefined;
let ready = false;
let nextCallId = 1;
let outBuffer = '';
let bootErrors = '';
/** Replies made in this thread (refused host calls), served before anything from the main thread. */
const local: Uint8Array[] = [encoder.encode(init.bootLine + '\n')];

function post(message: FromWorker | { type: 'boot-failed'; message: string }): void {
  port!.postMessage(message);
}

function heapBytes(): number {
  return memory().buffer.byteLength;
}

let instance: WasmInstance | undefined;
const memory = () => instance!.exports.memory as WasmMemory;

/** Blocks until the main thread sends the next job or the reply the guest waits for. */
function readInput(): Uint8Array {
  const mine = local.shift();
  if (mine) return mine;
  for (;;) {
    const received = receiveMessageOnPort(init.inPort);
    if (received) {
      const message = received.message as ToPythonWorker;
      if (message.type === 'job') {
        current = { jobId: message.jobId, limits: message.limits, heapAtStart: heapBytes(), logLines: 0, readSecret: false, callId: 0 };
        return encoder.encode(message.line + '\n');
      }
      // A reply to a call that is no longer awaited is skipped, never handed to a later call.
      if (current && message.callId === current.callId) return encoder.encode(message.reply + '\n');
      continue;
    }
    Atomics.wait(signal, 0, 0);
    Atomics.store(signal, 0, 0);
  }
}

function onLine(line: string): void {
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  if (message.t === 'ready' && !ready) {
    ready = true;
    post({ type: 'ready' });
    return;
  }
  const job = current;
  if (!job) return;
  if (message.t === 'log') {
    if (++job.logLines > job.limits.maxLogLines) return;
    post({ type: 'log', jobId: job.jobId, args: JSON.stringify({ level: message.level, message: String(message.message ?? '') }) });
  } else if (message.t === 'host') {
    const op = typeof message.op === 'string' ? message.op : '';
    const args = typeof message.args === 'string' ? message.args : 'null';
    job.callId = nextCallId++;
    if (args.length > job.limits.maxResultBytes) {
      const text = `host call arguments are ${args.length} characters of JSON; the limit is ${job.limits.maxResultBytes}`;
      local.push(encoder.encode(JSON.stringify({ ok: false, code: 'host_denied', message: text }) + '\n'));
      return;
    }
    if (op === 'secret') job.readSecret = true;
    Atomics.store(signal, 0, 0);
    post({ type: 'host', jobId: job.jobId, callId: job.callId, op, args });
  } else if (message.t === 'done') {
    finish(job, outcomeOf(message, job));
  }
}

function outcomeOf(message: Record<string, unknown>, job: CurrentJob): WorkerOutcome {
  const grew = heapBytes() - job.heapAtStart;
  if (grew > job.limits.memoryBytes) {
    const mb = Math.round(job.limits.memoryBytes / 1048576);
    return { ok: false, error: { code: 'memory', message: `the hook used more than ${mb} MB of memory`, stack: '' } };
  }
  if (message.ok === true) return { ok: true, json: typeof message.json === 'string' ? message.json : undefined };
  const error: WorkerError = {
    code: String(message.code ?? 'runtime') as SandboxErrorCode,
    message: String(message.message ?? ''),
    stack: String(message.stack ?? ''),
  };
  if (typeof message.line === 'number') error.line = message.line;
  if (typeof message.column === 'number') error.column = message.column;
  if (Array.isArray(message.forbidden)) error.forbidden = message.forbidden.map(String);
  return { ok: false, error };
}

function finish(job: CurrentJob, outcome: WorkerOutcome): void {
  current = undefined;
  // A secret may stay reachable in the interpreter (gc, module state), and redaction only knows
  // the current invocation's secrets: the interpreter is not used again. WASM memory never
  // shrinks, so a heap past three quarters of its cap also retires the worker.
  const tainted = job.readSecret || heapBytes() > init.heapLimitBytes * 0.75 || (!outcome.ok && outcome.error.code === 'memory');
  post({ type: 'done', jobId: job.jobId, outcome, tainted });
}

function write(fd: 1 | 2, bytes: Uint8Array): void {
  const text = decoder.decode(bytes);
  if (fd === 2) {
    if (!ready) bootErrors = (bootErrors + text).slice(-4000);
    else if (current && ++current.logLines <= current.limits.maxLogLines) post({ type: 'log', jobId: current.jobId, args: JSON.stringify({ level: 'error', message: text.trimEnd() }) });
    return;
  }
  outBuffer += text;
  // A guest can write to fd 1 itself; lines are parsed defensively and kept bounded.
  if (outBuffer.length > 16 * 1024 * 1024) outBuffer = '';
  let newline = outBuffer.indexOf('\n');
  while (newline >= 0) {
    const line = outBuffer.slice(0, newline);
    outBuffer = outBuffer.slice(newline + 1);
    onLine(line);
    newline = outBuffer.indexOf('\n');
  }
}

function engineFailure(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (!ready) {
    post({ type: 'boot-failed', message: `${message}\n${bootErrors}`.trim() });
    return;
  }
  if (!current) return;
  const code: SandboxErrorCode = /call stack/i.test(message) ? 'stack' : 'killed';
  // The interpreter's C stack lives in its linear memory without a guard: recursion through C
  // (__getattr__, __str__, ...) deeper than it traps as an out-of-bounds access. The trap ends
  // the interpreter, never the host; the worker is retired.
  const hint = /memory access out of bounds/.test(message) ? ' (typically recursion deeper than the engine stack); its Python worker was stopped' : '';
  const text = code === 'stack' ? 'the hook exceeded the engine stack (too much recursion)' : `the Python engine failed: ${message}${hint}`;
  post({ type: 'done', jobId: current.jobId, outcome: { ok: false, error: { code, message: text, stack: '' } }, tainted: true });
}

const imports = createWasiImports(init.argv, { readInput, write }, memory);
try {
  instance = new wasm.Instance(init.module, imports as WasmImports);
  (instance.exports._start as () => void)();
  engineFailure(new Error('the Python interpreter exited'));
} catch (error) {
  engineFailure(error instanceof ProcExit ? new Error(`${error.message}${bootErrors ? `: ${bootErrors.trim()}` : ''}`) : error);
}
