// The main thread's side of the Python sandbox: a pool of worker threads, each holding one
// CPython interpreter that serves one tenant (organization) only, since one interpreter cannot
// keep two owners apart (shared sys.modules, builtins, classes, gc). The main thread answers host
// calls through the same dispatcher as QuickJS, stops a worker past its CPU time (CPython under
// WASI has no interrupt, so the stop is `worker.terminate()`) or its wall clock, and redacts
// secrets from everything that leaves (DECISIONS.md §8).
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { EgressPolicy } from '../egress-policy';
import { createHostDispatcher } from '../host-dispatcher';
import { HOOK_NAMES, allowedExportNames } from '../hook-names';
import { InvocationClock } from '../invocation-clock';
import type { SandboxIntegration } from '../sandbox-call';
import { SandboxError } from '../sandbox-error';
import type { SandboxHost, SandboxLogLine } from '../sandbox-host';
import type { SandboxLimits } from '../sandbox-limits';
import { SecretRedactor } from '../secret-redactor';
import type { FromWorker, WorkerJob, WorkerOutcome } from '../worker-protocol';
import { bootLine, pythonArgv } from './python-guest';
import type { ToPythonWorker } from './python-protocol';
import { loadPythonModule } from './python-module';
import { startPythonWorker } from './start-python-worker';
import type { WasmModule } from './wasm-api';

/** Python interpreters alive at once by default (each holds ~100 MB of memory). */
export const DEFAULT_PYTHON_WORKERS = 4;
/** WASM memory an interpreter needs before any hook allocates (CPython, the SDK and the preloaded modules). */
const PYTHON_BASE_HEAP_BYTES = 64 * 1024 * 1024;
/** Tenant whose interpreter runs plan-time checks (which parse code but never run it). */
const CHECK_TENANT = '\u0000check';

/** What one Python invocation produced, as the QuickJS path reports it. */
export interface PythonExecution {
  outcome: WorkerOutcome;
  redactor: SecretRedactor;
  logs: SandboxLogLine[];
}

/** The Python pool `createSandbox` dispatches `.py` code to. */
export interface PythonEngine {
  execute(job: WorkerJob, host: SandboxHost, integration: SandboxIntegration | undefined, tenant: string, denyAll?: string): Promise<PythonExecution>;
  /** Interpreters (started or starting) and idle ones. */
  stats(): { threads: number; idle: number };
  close(): Promise<void>;
}

interface Active {
  jobId: number;
  limits: SandboxLimits;
  redactor: SecretRedactor;
  dispatch: (op: string, args: string) => Promise<string>;
  host: SandboxHost;
  logs: SandboxLogLine[];
  stop: AbortController;
  /** The guest's CPU budget and the wall-clock limit. */
  clock: InvocationClock;
  /** True while the guest is blocked on a host call (the wall-clock message says so, as QuickJS's does). */
  inHostCall: boolean;
  resolve(outcome: WorkerOutcome): void;
  reject(error: Error): void;
}

class PythonSlot {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  private readonly signal: Int32Array;
  private readonly inPort: MessagePort;
  active: Active | undefined;
  dead = false;
  started = false;

  constructor(
    readonly tenant: string,
    module: WasmModule,
    heapLimitBytes: number,
    private readonly onGone: (slot: PythonSlot) => void,
    private readonly onIdle: (slot: PythonSlot) => void,
  ) {
    const shared = new SharedArrayBuffer(4);
    const channel = new MessageChannel();
    this.signal = new Int32Array(shared);
    this.inPort = channel.port1;
    this.worker = startPythonWorker({ module, argv: pythonArgv(), signal: shared, inPort: channel.port2, heapLimitBytes, bootLine: bootLine() });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (message: FromWorker | { type: 'boot-failed'; message: string }) => {
        if (message.type === 'ready') {
          this.started = true;
          if (!this.active) this.worker.unref();
          resolve();
        } else if (message.type === 'boot-failed') {
          reject(new SandboxError('killed', `the Python engine could not start: ${message.message}`));
        } else {
          this.onMessage(message);
        }
      });
      this.worker.on('error', (error: Error & { code?: string }) => {
        const failure = new SandboxError(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'killed', `Python worker failed: ${error.message}`);
        if (!this.started) reject(failure);
        this.fail(failure);
      });
      this.worker.on('exit', () => {
        if (!this.started) reject(new SandboxError('killed', 'the Python worker exited before it was ready'));
        this.fail(new SandboxError('killed', 'the Python worker exited during the invocation'));
      });
    });
  }

  execute(job: WorkerJob, active: Omit<Active, 'resolve' | 'reject' | 'clock' | 'inHostCall'>): Promise<WorkerOutcome> {
    return new Promise((resolve, reject) => {
      const { cpuMs } = active.limits;
      // CPython under WASI cannot be interrupted from outside: past its CPU time the worker is stopped.
      const clock = new InvocationClock(cpuMs, () => this.fail(new SandboxError('timeout', `the hook ran past its CPU time limit of ${cpuMs} ms; its Python worker was stopped`)));
      const current: Active = { ...active, clock, inHostCall: false, resolve, reject };
      this.active = current;
      const { limits } = job;
      const fields = JSON.stringify({
        mode: job.mode,
        source: job.source,
        filename: job.filename,
        checkKind: job.checkKind ?? 'flow',
        hookNames: job.checkKind ? (allowedExportNames(job.checkKind) ?? null) : HOOK_NAMES,
        reuseScope: job.reuseScope ?? null,
        maxResultBytes: limits.maxResultBytes,
      });
      // The call is JSON text already: placed as the job's last member, not parsed and written again.
      const line = `{"job":${fields.slice(0, -1)},"call":${job.callJson ?? 'null'}}}`;
      this.worker.ref();
      this.send({ type: 'job', jobId: active.jobId, limits: { memoryBytes: limits.memoryBytes, maxResultBytes: limits.maxResultBytes, maxLogLines: limits.maxLogLines }, line });
      clock.startWallClock(limits.wallClockMs, () => {
        const waiting = current.inHostCall ? ' while it waited on a host call' : '';
        this.fail(new SandboxError('wall_clock', `the invocation ran past its wall-clock limit of ${limits.wallClockMs} ms${waiting}; it was stopped`));
      });
      clock.resumeGuest();
    });
  }

  private send(message: ToPythonWorker): void {
    this.inPort.postMessage(message);
    Atomics.store(this.signal, 0, 1);
    Atomics.notify(this.signal, 0);
  }

  private onMessage(message: FromWorker): void {
    const active = this.active;
    if (!active || message.type === 'ready' || message.jobId !== active.jobId) return;
    if (message.type === 'log') {
      if (active.logs.length >= active.limits.maxLogLines) return;
      try {
        const parsed = JSON.parse(message.args) as { level?: string; message?: unknown };
        const level = ['log', 'info', 'warn', 'error', 'debug'].includes(parsed.level ?? '') ? parsed.level : 'log';
        const line = { level: level as SandboxLogLine['level'], message: active.redactor.redact(String(parsed.message ?? '')) };
        active.logs.push(line);
        active.host.onLog?.(line);
      } catch {
        // A malformed line or a failing log sink must not fail the hook.
      }
    } else if (message.type === 'host') {
      active.clock.pauseGuest();
      active.inHostCall = true;
      void active.dispatch(message.op, message.args).then((reply) => {
        if (this.active !== active || this.dead) return;
        active.inHostCall = false;
        this.send({ type: 'reply', callId: message.callId, reply });
        active.clock.resumeGuest();
      });
    } else if (message.type === 'done') {
      if (message.tainted) this.terminate();
      this.finish();
      active.resolve(message.outcome);
    }
  }

  private finish(): void {
    const active = this.active;
    this.active = undefined;
    if (active) {
      active.clock.stop();
      active.stop.abort();
    }
    if (!this.dead) {
      this.worker.unref();
      this.onIdle(this);
    }
  }

  fail(error: Error): void {
    const active = this.active;
    this.terminate();
    this.finish();
    active?.reject(error);
  }

  terminate(): void {
    if (this.dead) return;
    this.dead = true;
    this.inPort.close();
    void this.worker.terminate();
    this.onGone(this);
  }
}

/** Options of the Python pool (the sandbox's defaults and egress rules). */
export interface PythonEngineOptions {
  defaults: SandboxLimits;
  egress: EgressPolicy;
  /** Interpreters alive at once (default {@link DEFAULT_PYTHON_WORKERS}). */
  maxWorkers?: number;
  /** Invocations of one tenant running at once (each needs its own interpreter). */
  perTenant: number;
}

/** Creates the Python pool; interpreters start on first use. */
export function createPythonEngine(options: PythonEngineOptions): PythonEngine {
  const maxWorkers = Math.max(1, options.maxWorkers ?? DEFAULT_PYTHON_WORKERS);
  const heapLimitBytes = PYTHON_BASE_HEAP_BYTES + 2 * options.defaults.memoryBytes;
  const slots = new Set<PythonSlot>();
  const idle: PythonSlot[] = [];
  const waiting: Array<{ tenant: string; resolve(slot: PythonSlot): void; reject(error: Error): void }> = [];
  let nextJobId = 1;
  let closed = false;

  const gone = (slot: PythonSlot) => {
    slots.delete(slot);
    const at = idle.indexOf(slot);
    if (at >= 0) idle.splice(at, 1);
    pump();
  };
  const release = (slot: PythonSlot) => {
    if (slot.dead || closed) return;
    idle.push(slot);
    pump();
  };

  /** Starts an interpreter for `tenant`; it takes `placeholder`'s place in the pool once constructed. */
  function spawn(tenant: string, placeholder: PythonSlot): Promise<PythonSlot> {
    const engine = loadPythonModule(heapLimitBytes).catch((error: Error) => {
      // No engine installed (or a wrong file): the invocation or check fails as a sandbox error.
      throw new SandboxError('killed', error.message);
    });
    return engine.then((module) => {
      if (closed) throw new Error('the sandbox is closed');
      const slot = new PythonSlot(tenant, module, heapLimitBytes, gone, release);
      slots.delete(placeholder);
      slots.add(slot);
      return slot.ready.then(
        () => slot,
        (error: Error) => {
          slot.terminate();
          throw error;
        },
      );
    });
  }

  const busyOf = (tenant: string) => [...slots].filter((slot) => slot.tenant === tenant && !idle.includes(slot)).length;

  /** Hands out interpreters to waiting invocations: the tenant's idle one, a new one, or one taken from another tenant. */
  function pump(): void {
    for (let i = 0; i < waiting.length && !closed;) {
      const wanted = waiting[i];
      const own = idle.findIndex((slot) => slot.tenant === wanted.tenant);
      if (own >= 0) {
        waiting.splice(i, 1);
        wanted.resolve(idle.splice(own, 1)[0]);
        continue;
      }
      if (busyOf(wanted.tenant) >= options.perTenant) {
        i++;
        continue;
      }
      if (slots.size >= maxWorkers && idle.length > 0) idle.shift()!.terminate();
      if (slots.size < maxWorkers) {
        waiting.splice(i, 1);
        // The place is reserved at once, so concurrent pumps cannot start more than maxWorkers.
        const placeholder = { tenant: wanted.tenant } as PythonSlot;
        slots.add(placeholder);
        spawn(wanted.tenant, placeholder).then(
          (slot) => {
            slots.delete(placeholder);
            wanted.resolve(slot);
          },
          (error: Error) => {
            slots.delete(placeholder);
            wanted.reject(error);
            pump();
          },
        );
        continue;
      }
      i++;
    }
  }

  function acquire(tenant: string): Promise<PythonSlot> {
    if (closed) return Promise.reject(new Error('the sandbox is closed'));
    return new Promise((resolve, reject) => {
      waiting.push({ tenant, resolve, reject });
      pump();
    });
  }

  return {
    async execute(job, host, integration, tenant, denyAll) {
      const redactor = new SecretRedactor();
      const logs: SandboxLogLine[] = [];
      const stop = new AbortController();
      const dispatch = createHostDispatcher({ host, limits: job.limits, redactor, integration, denyAll, egress: options.egress, signal: stop.signal });
      const slot = await acquire(job.mode === 'check' ? CHECK_TENANT : tenant);
      try {
        const outcome = await slot.execute(job, { jobId: nextJobId++, limits: job.limits, redactor, dispatch, host, logs, stop });
        return { outcome, redactor, logs };
      } catch (error) {
        if (error instanceof SandboxError) throw new SandboxError(error.code, redactor.redact(error.message), redactor.redact(error.guestStack));
        throw error;
      }
    },
    stats: () => ({ threads: slots.size, idle: idle.length }),
    async close() {
      closed = true;
      for (const wanted of waiting.splice(0)) wanted.reject(new Error('the sandbox was closed'));
      const all = [...slots].filter((slot) => slot instanceof PythonSlot);
      for (const slot of all) slot.fail(new Error('the sandbox was closed'));
      await Promise.all(all.map((slot) => slot.worker.terminate()));
    },
  };
}
