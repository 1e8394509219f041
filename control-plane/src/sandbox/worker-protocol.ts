// Messages between the main thread and a sandbox worker. Host calls are the only synchronous
// exchange: the worker posts `host`, blocks in Atomics.wait, and reads the reply from its
// MessagePort with receiveMessageOnPort once the main thread has notified the shared flag.
import type { MessagePort } from 'node:worker_threads';
import type { ImplementationKind } from './hook-names';
import type { SandboxErrorCode } from './sandbox-error';
import type { SandboxLimits } from './sandbox-limits';

/** What the worker is asked to do: call into a module, or only evaluate and inspect it. */
export interface WorkerJob {
  source: string;
  filename: string;
  limits: SandboxLimits;
  mode: 'run' | 'check';
  /**
   * Who may share a warm module with this job (e.g. an org and flow): jobs with the same scope,
   * file, limits and source reuse one evaluated module. Absent: a fresh runtime, used once.
   */
  reuseScope?: string;
  /**
   * The call (a {@link SandboxCall}) as JSON text: written once on the main thread, it crosses to
   * the worker as one string instead of a cloned object tree, and reaches the guest's JSON parser
   * as it is (about 8 µs less per job than cloning the object and serializing it again there).
   */
  callJson?: string;
  checkKind?: ImplementationKind;
}

/** Main thread → worker. */
export type ToWorker = { type: 'job'; jobId: number; job: WorkerJob };

/** An error as the worker classified it, before redaction on the main thread. */
export interface WorkerError {
  code: SandboxErrorCode;
  message: string;
  stack: string;
  /** Set for syntax errors, whose location is not in a stack frame. */
  line?: number;
  column?: number;
  /** Module names the loader refused during this job. */
  forbidden?: string[];
}

/** The end of a job: JSON text of the result (undefined for `undefined`), or an error. */
export type WorkerOutcome = { ok: true; json: string | undefined } | { ok: false; error: WorkerError };

/** Worker → main thread. */
export type FromWorker =
  | { type: 'ready'; /** the worker's kernel thread id (Linux), whose CPU time the hard stop counts */ tid?: number }
  | { type: 'host'; jobId: number; callId: number; op: string; args: string }
  | { type: 'log'; jobId: number; args: string }
  | { type: 'done'; jobId: number; outcome: WorkerOutcome; /** the worker exits after this job */ tainted: boolean };

/** Main thread → worker, on the dedicated reply port: the JSON reply to host call `callId`. */
export interface HostReply {
  callId: number;
  reply: string;
}

/** Data the worker is started with. */
export interface WorkerInit {
  /** Int32 flag the main thread sets to 1 and notifies when a host reply is on the port. */
  signal: SharedArrayBuffer;
  replyPort: MessagePort;
  /** Hard cap on the worker's WASM linear memory (all runtimes together), in bytes. */
  heapLimitBytes: number;
  /**
   * Where the worker notes, as it takes a job, its thread's CPU ms (Float64 at byte 8, NaN when it
   * cannot read it) and then the job's id (Int32 at byte 0): the main thread counts the job's CPU
   * from there, without a reading of its own at every start (`jobStartViews`).
   */
  jobStart: SharedArrayBuffer;
}

/** Views of `WorkerInit.jobStart`: the job id at index 0 of the Int32 view, the CPU ms at index 1 of the Float64 view. */
export function jobStartViews(buffer: SharedArrayBuffer): { id: Int32Array; cpuMs: Float64Array } {
  return { id: new Int32Array(buffer, 0, 1), cpuMs: new Float64Array(buffer) };
}

/** Bytes of `WorkerInit.jobStart`. */
export const JOB_START_BYTES = 16;

/** A reply the guest's `callHost` turns into a value or a thrown HostError. */
export type HostReplyBody = { ok: true; value: unknown } | { ok: false; code: string; message: string };
