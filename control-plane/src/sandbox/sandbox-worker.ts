// Entry point of a sandbox worker thread: loads QuickJS once, then runs jobs one at a time.
// Host calls block this thread (Atomics.wait) while the main thread does the I/O, which is what
// lets guest code call `requests.post(...)` without `await`.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import variant from '@jitl/quickjs-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant, newVariant } from 'quickjs-emscripten-core';
import { type LoadedModule, disposeModule, runGuestJob } from './guest-runner';
import { currentThreadId, recentCpuReading, threadCpuClock } from './thread-cpu';
import { WARM_MODULES_PER_WORKER, WarmModules } from './warm-modules';
import { type FromWorker, type HostReply, type ToWorker, type WorkerInit, jobStartViews } from './worker-protocol';

/**
 * Extra wait beyond the invocation's wall-clock limit, in case a reply is lost. The main thread
 * may hold a reply until the invocation's turn for a run slot, and stops the worker itself at the
 * wall-clock limit, so this wait only matters if the main thread misbehaves.
 */
const REPLY_MARGIN_MS = 2000;

const port = parentPort;
if (!port) throw new Error('sandbox-worker must run in a worker thread');
const init = workerData as WorkerInit;
const signal = new Int32Array(init.signal);
const jobStart = jobStartViews(init.jobStart);
const ownCpu = threadCpuClock(currentThreadId());
// QuickJS's own memory limit misses most allocations in this build (see guest-runner.ts), so
// the WASM memory itself gets a maximum: past it, malloc fails and the guest gets out-of-memory.
const PAGE = 65536;
// The project's lib settings carry no WebAssembly types; the constructor is Node's global.
const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => object } }).WebAssembly;
const wasmMemory = new Memory({
  initial: 256,
  maximum: Math.max(512, Math.ceil(init.heapLimitBytes / PAGE)),
});
const wasmMemoryMax = Math.max(512, Math.ceil(init.heapLimitBytes / PAGE)) * PAGE;
const wasm = await newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmMemory: wasmMemory as never }));
let nextCallId = 1;
/** Evaluated modules kept for their next invocation (DECISIONS.md §5). */
const warm = new WarmModules<LoadedModule>(WARM_MODULES_PER_WORKER, disposeModule);

function post(message: FromWorker): void {
  port!.postMessage(message);
}

function hostCallFor(jobId: number, timeoutMs: number) {
  return (op: string, args: string): string => {
    const callId = nextCallId++;
    Atomics.store(signal, 0, 0);
    post({ type: 'host', jobId, callId, op, args });
    for (;;) {
      const waited = Atomics.wait(signal, 0, 0, timeoutMs + REPLY_MARGIN_MS);
      if (waited === 'timed-out') {
        return JSON.stringify({ ok: false, code: 'timeout', message: `host call ${op} got no reply` });
      }
      Atomics.store(signal, 0, 0);
      // Replies to calls that already timed out are skipped, never handed to a later call.
      for (let received = receiveMessageOnPort(init.replyPort); received; received = receiveMessageOnPort(init.replyPort)) {
        const reply = received.message as HostReply;
        if (reply.callId === callId) return reply.reply;
      }
    }
  };
}

/**
 * This thread's CPU as each job starts. A reading costs a system call (most of this thread's own
 * work on a short hook) and jobs come every few ms under load, so one reading serves the jobs of
 * the next 20 ms: charged at most that much CPU they did not use, never less than they used.
 */
const cpuAtJobStart = recentCpuReading(ownCpu, 20);

port.on('message', (message: ToWorker) => {
  if (message.type !== 'job') return;
  const { jobId, job } = message;
  // The CPU this thread had used before the job, then the job's id: the main thread reads the id
  // first, so it never pairs this job with the previous job's reading.
  // The same reading starts the guest's own deadline (cpu-deadline.ts).
  const cpuAtStart = cpuAtJobStart();
  jobStart.cpuMs[1] = cpuAtStart ?? Number.NaN;
  Atomics.store(jobStart.id, 0, jobId | 0);
  const { outcome, tainted } = runGuestJob(wasm, job, hostCallFor(jobId, job.limits.wallClockMs), (args) => post({ type: 'log', jobId, args }), wasmMemoryMax, warm, cpuAtStart);
  // A tainted worker is terminated by the main thread once it has read this message.
  post({ type: 'done', jobId, outcome, tainted });
});

post({ type: 'ready', tid: currentThreadId() });
