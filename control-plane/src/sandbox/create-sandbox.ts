// A pool of worker threads, each running one QuickJS job at a time. The main thread answers host
// calls, enforces the hard stop (terminating a worker whose guest does not yield) and the
// wall-clock limit, redacts secrets from everything that leaves, and schedules invocations fairly
// across tenants: a worker waiting on a host call gives its run slot to other work (DECISIONS.md §6).
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { type EgressOptions, EgressPolicy } from './egress-policy';
import { FairScheduler } from './fair-scheduler';
import { createHostDispatcher } from './host-dispatcher';
import { InvocationClock } from './invocation-clock';
import type { ImplementationKind } from './hook-names';
import { implementationLanguage } from '@opensym/schemas/implementation-rules';
import { createPythonEngine } from './python/python-engine';
import { callJsonOf, type JsonValue, type SandboxCall, type SandboxIntegration } from './sandbox-call';
import { SandboxError, locateInStack } from './sandbox-error';
import type { SandboxHost, SandboxLogLine } from './sandbox-host';
import { type SandboxLimits, resolveLimits } from './sandbox-limits';
import { SecretRedactor } from './secret-redactor';
import { type SourceProblem, problemsFromCheck } from './source-problems';
import { startWorker } from './start-worker';
import { type CpuClock, threadCpuClock } from './thread-cpu';
import { WARM_MODULES_PER_WORKER, warmKeyOf } from './warm-modules';
import { type FromWorker, type WorkerJob, type WorkerOutcome, JOB_START_BYTES, jobStartViews } from './worker-protocol';

/** How a sandbox is set up: default limits for its invocations, its pool and its egress rules. */
export interface SandboxOptions {
  limits?: Partial<SandboxLimits>;
  /**
   * Invocations running guest code at the same moment (run slots; default: cores, at most 4).
   * A worker waiting on a host call does not hold one.
   */
  maxWorkers?: number;
  /**
   * Worker threads in all, counting those parked in host calls (default: 16, at least
   * `maxWorkers + 1`). New invocations wait once this many exist and none is idle.
   */
  maxThreads?: number;
  /** Invocations of one tenant admitted at once, running or waiting on host calls (default 4). */
  perTenant?: number;
  /** Which addresses `sym/http` may reach besides public unicast ones (default: none). */
  egress?: EgressOptions;
  /** Python interpreters alive at once, each serving one tenant (default 4; DECISIONS.md §8). */
  pythonWorkers?: number;
}

/** Default of {@link SandboxOptions.maxThreads}. */
export const DEFAULT_MAX_THREADS = 16;
/** Default of {@link SandboxOptions.perTenant}. */
export const DEFAULT_PER_TENANT = 4;
/** Threads beyond `maxWorkers` that stay idle this long are stopped. */
const IDLE_EXTRA_THREAD_MS = 60_000;

/** One invocation: the user's module, what to call in it, and the doors out. */
export interface RunHookOptions {
  source: string;
  /**
   * Name the guest's stack traces use for the module; `impl.js` (or `impl.py` for Python) unless
   * given. Its extension (`.py`, `.js`) decides the language; without one the code does.
   */
  filename?: string;
  call: SandboxCall;
  host?: SandboxHost;
  limits?: Partial<SandboxLimits>;
  /**
   * Lets invocations with the same scope and source reuse one evaluated module (a warm start,
   * see DECISIONS.md §5). Give it only to code of one owner, e.g. `org:flow`; omit it for a
   * fresh runtime per invocation.
   */
  reuseScope?: string;
  /**
   * Who the invocation runs for (the organization id): run slots are shared round-robin across
   * tenants and each tenant has at most `perTenant` invocations admitted. Omitted: one shared tenant.
   */
  tenant?: string;
}

/** What an invocation returned: JSON data (undefined when the hook returned nothing) and its console output. */
export interface HookResult {
  value: JsonValue | undefined;
  logs: SandboxLogLine[];
  durationMs: number;
}

/** Options of a plan-time check. */
export interface CheckSourceOptions {
  /** Which export rules apply: hook names (flow), `get_flows` (flows filter), an AccessStrategy subclass (strategy). */
  kind: ImplementationKind;
  filename?: string;
  limits?: Partial<SandboxLimits>;
}

/** A sandbox: run hooks, check sources, and close the worker threads when done. */
export interface Sandbox {
  run(options: RunHookOptions): Promise<HookResult>;
  check(source: string, options: CheckSourceOptions): Promise<SourceProblem[]>;
  /** Pool state now: worker threads (started or starting), idle ones, invocations running guest code, and queued ones. */
  stats(): SandboxStats;
  close(): Promise<void>;
}

/** A snapshot of a sandbox's pool (for tests and metrics). */
export interface SandboxStats {
  threads: number;
  idle: number;
  running: number;
  /** Invocations and resumptions waiting for a run slot. */
  waiting: number;
}

interface ActiveJob {
  jobId: number;
  tenant: string;
  /** Whether the job holds a run slot now (false while it waits on a host call). */
  running: boolean;
  /** Aborts the job's pending host calls when it is stopped. */
  stop: LazyStop;
  /** The guest's CPU budget (plus the hard-stop grace) and the wall-clock limit. */
  clock: InvocationClock;
  /** Host calls that have not answered yet (named in a wall-clock stop). */
  pendingHostCalls: number;
  limits: SandboxLimits;
  redactor: SecretRedactor;
  dispatch: (op: string, args: string) => Promise<string>;
  host: SandboxHost;
  logs: SandboxLogLine[];
  droppedLogs: number;
  resolve(outcome: WorkerOutcome): void;
  reject(error: Error): void;
}

/**
 * The stop signal of one invocation. Most invocations make no host call, and an AbortController
 * per invocation (and the DOMException `abort()` builds) showed in the request path's profile, so
 * the controller is made only when the signal is first asked for (already aborted if the job has
 * ended by then).
 */
class LazyStop {
  private controller: AbortController | undefined;
  private stopped = false;

  /** The signal pending host calls end with when the invocation is stopped. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.stopped) this.controller.abort();
    }
    return this.controller.signal;
  }

  /** Aborts the signal if one was handed out; a later one starts aborted. */
  abort(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.controller?.abort();
  }
}

/** WASM memory a worker needs before any guest allocates (QuickJS's initial 16 MB heap and headroom). */
const BASE_HEAP_BYTES = 24 * 1024 * 1024;

class WorkerSlot {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  private readonly signal: Int32Array;
  private readonly replyPort: MessagePort;
  active: ActiveJob | undefined;
  dead = false;
  started = false;
  /** The worker thread's CPU time, what the hard stop counts (set from its `ready` message). */
  private cpuClock: CpuClock = () => undefined;
  /** What the worker notes as it takes a job (its CPU then, and the job's id). */
  private readonly jobStart: ReturnType<typeof jobStartViews>;
  /** Warm-module keys of the last clean jobs here (what the worker probably still keeps), oldest first. */
  private readonly warmKeys: string[] = [];

  constructor(
    private readonly onGone: (slot: WorkerSlot) => void,
    heapLimitBytes: number,
    private readonly scheduler: FairScheduler,
    /** Called when a job ends and the thread can take the next one (before the scheduler hands out its slot). */
    private readonly onIdle: (slot: WorkerSlot) => void,
  ) {
    const shared = new SharedArrayBuffer(4);
    const jobStart = new SharedArrayBuffer(JOB_START_BYTES);
    const channel = new MessageChannel();
    this.signal = new Int32Array(shared);
    this.jobStart = jobStartViews(jobStart);
    this.replyPort = channel.port1;
    this.worker = startWorker({ signal: shared, replyPort: channel.port2, heapLimitBytes, jobStart });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          this.started = true;
          this.cpuClock = threadCpuClock(message.tid);
          if (!this.active) this.worker.unref();
          resolve();
        } else {
          this.onMessage(message);
        }
      });
      this.worker.on('error', (error: Error & { code?: string }) => {
        const code = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'killed';
        const failure = new SandboxError(code, `sandbox worker failed: ${error.message}`);
        if (!this.started) reject(failure);
        this.fail(failure);
      });
      this.worker.on('exit', () => {
        if (!this.started) reject(new SandboxError('killed', 'sandbox worker exited before it was ready'));
        this.fail(new SandboxError('killed', 'sandbox worker exited during the invocation'));
      });
    });
    // Idle workers must not keep the process alive (they are unref'd once ready and between jobs).
  }

  /** Whether this thread probably still holds the warm module for `key` (a hint: the worker decides). */
  holdsWarm(key: string): boolean {
    return this.warmKeys.includes(key);
  }

  /** Notes that `key`'s module ran cleanly here, so the worker kept it (unless it read a secret). */
  rememberWarm(key: string): void {
    const at = this.warmKeys.indexOf(key);
    if (at >= 0) this.warmKeys.splice(at, 1);
    this.warmKeys.push(key);
    if (this.warmKeys.length > WARM_MODULES_PER_WORKER) this.warmKeys.shift();
  }

  /** Runs `job`; the caller has been granted a run slot for `active.tenant`, which this slot now owns. */
  execute(job: WorkerJob, active: Omit<ActiveJob, 'resolve' | 'reject' | 'running' | 'pendingHostCalls' | 'clock'>): Promise<WorkerOutcome> {
    return new Promise((resolve, reject) => {
      const { cpuMs, hardStopGraceMs, wallClockMs } = active.limits;
      // The budget counts the worker thread's CPU (thread-cpu.ts): a wait for a core, or a main
      // thread slow to read the job's end, is not charged to the guest.
      const clock = new InvocationClock(
        cpuMs + hardStopGraceMs,
        () => {
          if (this.active !== current) return;
          this.fail(new SandboxError('killed', `the hook did not stop within ${cpuMs + hardStopGraceMs} ms of CPU time (work QuickJS cannot interrupt); its worker was terminated`));
        },
        () => this.jobCpuMs(active.jobId),
      );
      // Written out, not spread from `active`: a spread plus six more properties took V8's slow
      // path and was the largest item of the request path's own code in a profile (10 µs a job).
      const current: ActiveJob = {
        jobId: active.jobId,
        tenant: active.tenant,
        stop: active.stop,
        limits: active.limits,
        redactor: active.redactor,
        dispatch: active.dispatch,
        host: active.host,
        logs: active.logs,
        droppedLogs: active.droppedLogs,
        clock,
        running: true,
        pendingHostCalls: 0,
        resolve,
        reject,
      };
      this.active = current;
      try {
        // Plain data by now (`callJsonOf`); the catch is for anything the clone still refuses.
        this.worker.postMessage({ type: 'job', jobId: active.jobId, job });
      } catch (error) {
        this.finish();
        reject(new TypeError(`sandbox input is not plain data: ${(error as Error).message}`));
        return;
      }
      this.worker.ref();
      // Covers everything from here on, host calls included (the CPU limit does not count them).
      clock.startWallClock(wallClockMs, () => {
        const waiting = current.pendingHostCalls > 0 ? ' while it waited on a host call' : '';
        this.fail(new SandboxError('wall_clock', `the invocation ran past its wall-clock limit of ${wallClockMs} ms${waiting}; it was stopped`));
      });
      clock.resumeGuest();
    });
  }

  /**
   * CPU ms the worker thread has used since it took job `jobId`: 0 before it has, undefined when
   * its CPU cannot be read (the watchdog then counts wall time).
   */
  private jobCpuMs(jobId: number): number | undefined {
    const now = this.cpuClock();
    if (now === undefined) return undefined;
    if (Atomics.load(this.jobStart.id, 0) !== (jobId | 0)) return 0;
    const before = this.jobStart.cpuMs[1]!;
    return Number.isNaN(before) ? undefined : Math.max(0, now - before);
  }

  private onMessage(message: FromWorker): void {
    const active = this.active;
    if (!active || message.type === 'ready' || message.jobId !== active.jobId) return;
    if (message.type === 'log') {
      this.log(active, message.args);
    } else if (message.type === 'host') {
      active.clock.pauseGuest();
      // The worker thread only waits now: its run slot goes to other invocations meanwhile.
      active.running = false;
      active.pendingHostCalls++;
      this.scheduler.pause();
      void active.dispatch(message.op, message.args).then((reply) => {
        if (this.active !== active || this.dead) return;
        active.pendingHostCalls--;
        // The reply is delivered once the invocation has a run slot again, in its tenant's turn.
        this.scheduler.resume(active.tenant, () => {
          if (this.active !== active || this.dead) {
            // Stopped while it waited for its turn (already finished): give the slot straight back.
            this.scheduler.pause();
            return;
          }
          active.running = true;
          this.replyPort.postMessage({ callId: message.callId, reply });
          Atomics.store(this.signal, 0, 1);
          Atomics.notify(this.signal, 0);
          active.clock.resumeGuest();
        });
      });
    } else if (message.type === 'done') {
      // A tainted worker is discarded before its run slot is handed on, so it never gets another job.
      if (message.tainted) this.terminate();
      this.finish();
      active.resolve(message.outcome);
    }
  }

  private log(active: ActiveJob, args: string): void {
    if (active.logs.length >= active.limits.maxLogLines) {
      active.droppedLogs++;
      return;
    }
    let line: SandboxLogLine;
    try {
      const parsed = JSON.parse(args) as { level?: string; message?: unknown };
      const level = ['log', 'info', 'warn', 'error', 'debug'].includes(parsed.level ?? '') ? parsed.level : 'log';
      line = { level: level as SandboxLogLine['level'], message: active.redactor.redact(String(parsed.message ?? '')) };
    } catch {
      return;
    }
    active.logs.push(line);
    try {
      active.host.onLog?.(line);
    } catch {
      // A failing log sink must not fail the hook.
    }
  }

  /**
   * Ends the current job's bookkeeping: timers, pending host calls, and its place in the
   * scheduler. A live thread is offered back as idle first, so the slot the scheduler frees can go
   * to it rather than to a newly started thread.
   */
  private finish(): void {
    const active = this.active;
    this.active = undefined;
    if (active) {
      active.clock.stop();
      active.stop.abort();
    }
    if (!this.dead) {
      this.worker.unref();
      if (this.started) this.onIdle(this);
    }
    if (active) {
      const running = active.running;
      // A resumption still queued for it must not count as running later.
      active.running = false;
      this.scheduler.finish(active.tenant, running);
    }
  }

  /** Ends the current job (if any) with `error` and discards the worker. */
  fail(error: Error): void {
    const active = this.active;
    this.terminate();
    this.finish();
    active?.reject(error);
  }

  terminate(): void {
    if (this.dead) return;
    this.dead = true;
    this.replyPort.close();
    void this.worker.terminate();
    this.onGone(this);
  }
}

/** Creates a sandbox with its own worker pool; call `close()` when done. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  // Frozen: jobs share it (see `run`).
  const defaults = Object.freeze(resolveLimits(options.limits));
  const maxWorkers = Math.max(1, options.maxWorkers ?? Math.min(4, availableParallelism()));
  const maxThreads = Math.max(maxWorkers + 1, options.maxThreads ?? DEFAULT_MAX_THREADS);
  const egress = new EgressPolicy(options.egress);
  // QuickJS's start-up heap plus twice the memory limit; per-invocation memory overrides above
  // the sandbox's default are capped by this.
  const heapLimitBytes = BASE_HEAP_BYTES + 2 * defaults.memoryBytes;
  const slots = new Set<WorkerSlot>();
  const idle: WorkerSlot[] = [];
  let booting = 0;
  let nextJobId = 1;
  let closed = false;
  const scheduler = new FairScheduler({
    slots: maxWorkers,
    perTenant: Math.max(1, options.perTenant ?? DEFAULT_PER_TENANT),
    canStart: () => idle.length > 0,
    afterPump: () => void grow(),
  });
  const idleTimers = new Map<WorkerSlot, NodeJS.Timeout>();
  // Python code runs in CPython (WASI) interpreters of its own pool, one tenant per interpreter.
  const python = createPythonEngine({ defaults, egress, maxWorkers: options.pythonWorkers, perTenant: Math.max(1, options.perTenant ?? DEFAULT_PER_TENANT) });

  const gone = (slot: WorkerSlot) => {
    slots.delete(slot);
    takeIdle(slot);
    if (closed) return;
    // Queued work may now start a replacement worker; otherwise keep one warm, since starting
    // a worker costs far more than a job. Only after a worker that did start, to avoid a loop.
    if (slot.started && !grow() && slots.size === 0) spawn();
  };

  /** Starts a worker thread; once ready it joins the idle list. */
  function spawn(): void {
    const slot = new WorkerSlot(gone, heapLimitBytes, scheduler, release);
    slots.add(slot);
    booting++;
    slot.ready.then(
      () => {
        booting--;
        release(slot);
      },
      () => {
        booting--;
        // A worker that cannot start fails the waiting starts rather than retrying in a loop.
        if (!closed && booting === 0 && ![...slots].some((s) => s.started)) {
          scheduler.rejectAll(new SandboxError('killed', 'the sandbox worker could not start'));
        }
      },
    );
  }

  /**
   * Starts threads for new invocations that wait only for one (every thread busy or parked in a
   * host call), within `maxThreads`. Returns whether it started any.
   */
  function grow(): boolean {
    let started = false;
    while (!closed && slots.size < maxThreads && idle.length + booting < scheduler.startsWaitingForThread()) {
      spawn();
      started = true;
    }
    return started;
  }

  function takeIdle(slot: WorkerSlot): void {
    const index = idle.indexOf(slot);
    if (index >= 0) idle.splice(index, 1);
    const timer = idleTimers.get(slot);
    if (timer === undefined) return;
    clearTimeout(timer);
    idleTimers.delete(slot);
  }

  function release(slot: WorkerSlot): void {
    if (slot.dead || closed || idle.includes(slot)) return;
    idle.push(slot);
    // Threads beyond the run slots exist for invocations parked in host calls; stop them once
    // they have been idle for a while (down to one per run slot). With no thread beyond them
    // there is nothing to stop, and no timer per job: a thread released then stays, which keeps
    // the count, as every thread released while there are more is timed.
    if (slots.size <= maxWorkers) {
      scheduler.pump();
      return;
    }
    const timer = setTimeout(() => {
      idleTimers.delete(slot);
      if (idle.includes(slot) && slots.size > maxWorkers) {
        takeIdle(slot);
        slot.terminate();
      }
    }, IDLE_EXTRA_THREAD_MS);
    timer.unref();
    idleTimers.set(slot, timer);
    scheduler.pump();
  }

  /**
   * Waits for the tenant's turn and an idle thread; the returned slot holds a run slot. The thread
   * that last ran `warmKey`'s module cleanly is preferred, so warm starts survive extra threads.
   */
  function acquire(tenant: string, warmKey: string | undefined): Promise<WorkerSlot> {
    if (closed) return Promise.reject(new Error('the sandbox is closed'));
    return new Promise((resolve, reject) => {
      scheduler.start(
        tenant,
        () => {
          const warm = warmKey === undefined ? -1 : idle.findLastIndex((slot) => slot.holdsWarm(warmKey));
          const slot = warm >= 0 ? idle[warm] : idle[idle.length - 1];
          takeIdle(slot);
          resolve(slot);
        },
        reject,
      );
    });
  }

  async function execute(
    job: WorkerJob,
    host: SandboxHost,
    integration: SandboxIntegration | undefined,
    tenant: string,
    denyAll?: string,
  ): Promise<{ outcome: WorkerOutcome; redactor: SecretRedactor; logs: SandboxLogLine[] }> {
    const redactor = new SecretRedactor();
    const logs: SandboxLogLine[] = [];
    const stop = new LazyStop();
    // Built on the first host call (with the stop signal): most invocations make none.
    let dispatcher: ((op: string, args: string) => Promise<string>) | undefined;
    const dispatch = (op: string, args: string) => {
      dispatcher ??= createHostDispatcher({ host, limits: job.limits, redactor, integration, denyAll, egress, signal: stop.signal });
      return dispatcher(op, args);
    };
    const warmKey = warmKeyOf(job);
    const slot = await acquire(tenant, warmKey);
    try {
      const outcome = await slot.execute(job, {
        jobId: nextJobId++,
        tenant,
        stop,
        limits: job.limits,
        redactor,
        dispatch,
        host,
        logs,
        droppedLogs: 0,
      });
      if (warmKey !== undefined && outcome.ok && !slot.dead) slot.rememberWarm(warmKey);
      return { outcome, redactor, logs };
    } catch (error) {
      if (error instanceof SandboxError) {
        throw new SandboxError(error.code, redactor.redact(error.message), redactor.redact(error.guestStack));
      }
      throw error;
    }
  }

  return {
    async run(run: RunHookOptions): Promise<HookResult> {
      const started = performance.now();
      const isPython = implementationLanguage(run.source, run.filename) === 'python';
      const filename = run.filename ?? (isPython ? 'impl.py' : 'impl.js');
      const job: WorkerJob = {
        source: run.source,
        filename,
        // The defaults object itself when nothing overrides them: one allocation less per run,
        // and the warm key's limits comparison is then an identity check.
        limits: run.limits === undefined ? defaults : resolveLimits(defaults, run.limits),
        mode: 'run',
        callJson: callJsonOf(run.call),
        ...(run.reuseScope && { reuseScope: run.reuseScope }),
      };
      const integration = run.call.kind === 'hook' ? undefined : run.call.integration;
      const runIn = isPython ? python.execute : execute;
      const { outcome, redactor, logs } = await runIn(job, run.host ?? {}, integration, run.tenant ?? '');
      if (!outcome.ok) {
        const { error } = outcome;
        const stack = redactor.redact(error.stack);
        const location = error.line !== undefined ? { file: filename, line: error.line, column: error.column } : locateInStack(stack, filename);
        throw new SandboxError(error.code, redactor.redact(error.message), stack, location);
      }
      const value = outcome.json === undefined ? undefined : (JSON.parse(outcome.json) as JsonValue);
      return { value, logs, durationMs: performance.now() - started };
    },

    async check(source: string, check: CheckSourceOptions): Promise<SourceProblem[]> {
      const isPython = implementationLanguage(source, check.filename) === 'python';
      const filename = check.filename ?? (isPython ? 'impl.py' : 'impl.js');
      const job: WorkerJob = {
        source,
        filename,
        limits: resolveLimits(defaults, check.limits),
        mode: 'check',
        checkKind: check.kind,
      };
      try {
        const denied = 'host calls are not available while checking a module';
        if (isPython) return pythonProblems((await python.execute(job, {}, undefined, '', denied)).outcome);
        const { outcome } = await execute(job, {}, undefined, '', denied);
        return problemsFromCheck(source, filename, outcome);
      } catch (error) {
        if (error instanceof SandboxError) return [{ line: 1, column: 1, message: error.message }];
        throw error;
      }
    },

    stats(): SandboxStats {
      const { running, waiting } = scheduler.snapshot();
      return { threads: slots.size, idle: idle.length, running, waiting };
    },

    async close(): Promise<void> {
      closed = true;
      scheduler.rejectAll(new Error('the sandbox was closed'));
      for (const timer of idleTimers.values()) clearTimeout(timer);
      const all = [...slots];
      for (const slot of all) slot.fail(new Error('the sandbox was closed'));
      await Promise.all([...all.map((slot) => slot.worker.terminate()), python.close()]);
    },
  };
}

/** Problems from a Python check: the runner reports them with positions already (from `ast`). */
function pythonProblems(outcome: WorkerOutcome): SourceProblem[] {
  if (!outcome.ok) return [{ line: outcome.error.line ?? 1, column: outcome.error.column ?? 1, message: `${outcome.error.code}: ${outcome.error.message}` }];
  return JSON.parse(outcome.json ?? '[]') as SourceProblem[];
}
