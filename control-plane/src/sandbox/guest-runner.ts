// Runs one job in a fresh QuickJS runtime: limits first, then the SDK, then the user's module,
// then the call. Everything here is synchronous; host calls block inside `callHost`.
//
// Handle ownership: nothing here calls `.dispose()` on a QuickJS handle by hand. Handles that
// live as long as a module (runtime, context, SDK internals, the module namespace) belong to the
// module's `lifetimes` scope; handles of one call belong to a `Scope.withScope` block, which frees
// them on every exit (return, early return, throw). `guest-leaks.test.ts` checks this with the
// debug build of QuickJS, which reports every handle still alive when a runtime is freed.
import { DefaultIntrinsics, Scope, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import { CpuDeadline } from './cpu-deadline';
import { ALLOWED_MODULES, HOOK_NAMES, allowedExportNames } from './hook-names';
import { type CpuClock, ownThreadCpuClock } from './thread-cpu';
import type { SandboxErrorCode } from './sandbox-error';
import { BOOT_MODULE, BRIDGE_GLOBAL, DIAGNOSTICS_MODULE, GUEST_MODULES } from './sdk/guest-modules';
import { type WarmModules, warmKeyOf } from './warm-modules';
import type { WorkerError, WorkerJob, WorkerOutcome } from './worker-protocol';

/** The worker's side of the bridge: a synchronous host call returning reply JSON. */
export type SyncHostCall = (op: string, args: string) => string;

/** The result of a job plus whether the WASM module may be in a bad state afterwards. */
export interface GuestRunResult {
  outcome: WorkerOutcome;
  tainted: boolean;
}

/** Budget for describing an error after the guest's own budget ran out (getters can loop). */
const DESCRIBE_BUDGET_MS = 50;
const FORBIDDEN_PREFIX = 'forbidden import:';

/**
 * What the interrupt handler enforces: a CPU deadline (cpu-deadline.ts: the thread's CPU time,
 * so waiting for a core is not charged) that host calls push back (their time is not guest CPU
 * time), and growth of the WASM heap. The heap check exists because this QuickJS
 * build cannot measure allocation sizes (no malloc_usable_size), so `setMemoryLimit` only rejects
 * single allocations larger than the limit; many smaller ones were measured growing to 2 GB.
 */
class Limiter {
  private readonly deadline = new CpuDeadline(guestThreadCpu());
  memoryExceeded = false;
  private heapStart: number;

  constructor(
    readonly wasm: QuickJSWASMModule,
    private readonly memoryBytes: number,
    private readonly heapLimitBytes: number,
  ) {
    this.heapStart = wasmHeapBytes(wasm);
  }

  /** Starts an invocation: a new CPU budget, and heap growth counted from here (`cpuNow`: see CpuDeadline.start). */
  begin(ms: number, cpuNow?: number): void {
    this.heapStart = wasmHeapBytes(this.wasm);
    this.memoryExceeded = false;
    this.deadline.start(ms, cpuNow);
  }

  /** Whether the WASM heap is (nearly) at its maximum, i.e. allocations have been failing. */
  heapNearCap(): boolean {
    return wasmHeapBytes(this.wasm) > this.heapLimitBytes * 0.9;
  }

  start(ms: number): void {
    this.deadline.start(ms);
  }
  pause(): ReturnType<CpuDeadline['pause']> {
    return this.deadline.pause();
  }
  resume(paused: ReturnType<CpuDeadline['pause']>): void {
    this.deadline.resume(paused);
  }
  shouldInterrupt(): boolean {
    if (!this.memoryExceeded && wasmHeapBytes(this.wasm) - this.heapStart > this.memoryBytes) this.memoryExceeded = true;
    return this.memoryExceeded || this.deadline.passed();
  }
}

let threadCpu: CpuClock | undefined;
/** The CPU clock of the thread running guests (module state is per thread: one per worker). */
function guestThreadCpu(): CpuClock {
  threadCpu ??= ownThreadCpuClock();
  return threadCpu;
}

/** The doors of the invocation now running in a module; the bridge and loader read it per call. */
interface Invocation {
  job: WorkerJob;
  callHost: SyncHostCall;
  log: (args: string) => void;
  logLines: number;
  /** Modules the loader refused during this invocation. */
  forbidden: string[];
  /** A secret crossed into the guest: the module may hold it, so it is not kept warm. */
  readSecret: boolean;
}

/** A user module evaluated in its own runtime: what a warm invocation reuses. */
export interface LoadedModule {
  /** Owns the runtime, context, SDK internals and namespace; disposing it frees the module. */
  lifetimes: Scope;
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  clock: Limiter;
  invocation: Invocation;
  internals?: Internals;
  namespace?: QuickJSHandle;
  /** Invocations run in it so far. */
  uses: number;
  /** WASM heap size once the module was evaluated. */
  heapAfterLoad: number;
}

/** Invocations one warm module serves before it is replaced by a fresh one. */
export const MAX_WARM_USES = 1000;

/**
 * Runs `job` in a module of `wasm`: the warm one `warm` holds for the job's key if there is one
 * (see DECISIONS.md §5), otherwise a new runtime (limits first, then the SDK, then the user's
 * module). The module is kept warm only after a clean invocation that read no secret.
 * `heapLimitBytes` is the maximum of the module's WASM memory (Infinity when not capped);
 * `cpuAtStart` the thread's CPU clock as the job arrived, when the caller read it anyway.
 */
export function runGuestJob(
  wasm: QuickJSWASMModule,
  job: WorkerJob,
  callHost: SyncHostCall,
  log: (args: string) => void,
  heapLimitBytes = Number.POSITIVE_INFINITY,
  warm?: WarmModules<LoadedModule>,
  cpuAtStart?: number,
): GuestRunResult {
  const invocation: Invocation = { job, callHost, log, logLines: 0, forbidden: [], readSecret: false };
  const key = warm ? warmKeyOf(job) : undefined;
  let loaded = key ? warm!.take(key) : undefined;
  let tainted = false;
  let outcome: WorkerOutcome;
  try {
    if (loaded) {
      loaded.invocation = invocation;
      loaded.clock.begin(job.limits.cpuMs, cpuAtStart);
      outcome = callModule(loaded, job);
    } else {
      loaded = newModuleRuntime(wasm, job, invocation, heapLimitBytes);
      outcome = evaluateAndCall(loaded, job, cpuAtStart);
    }
  } catch (error) {
    // An exception from the WASM module itself (host stack overflow, abort): never reuse it.
    tainted = true;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const code: SandboxErrorCode = /call stack/i.test(message) ? 'stack' : 'killed';
    outcome = { ok: false, error: { code, message: `sandbox engine failure: ${message}`, stack: '' } };
  }
  if (loaded) {
    loaded.uses++;
    const keep = key !== undefined && !tainted && outcome.ok && !invocation.readSecret && loaded.uses < MAX_WARM_USES && wasmHeapBytes(wasm) - loaded.heapAfterLoad <= job.limits.memoryBytes;
    try {
      if (keep) warm!.put(key, loaded);
      else disposeModule(loaded);
    } catch {
      tainted = true;
    }
  }
  // WASM memory never shrinks: a worker whose heap grew far past the limit (through anything the
  // limit does not count) is retired so the memory goes back to the operating system. One that
  // keeps warm modules is retired earlier, at three quarters of its cap, so what they hold can
  // never leave a later invocation short of its own memory limit.
  const heap = wasmHeapBytes(wasm);
  if (heap > job.limits.memoryBytes * 2 + 32 * 1024 * 1024) tainted = true;
  if (warm && warm.size > 0 && heap > heapLimitBytes * 0.75) tainted = true;
  return { outcome, tainted };
}

/** Frees a module's handles, context and runtime; throws when QuickJS cannot (the worker is then retired). */
export function disposeModule(loaded: LoadedModule): void {
  // The scope frees in reverse order of ownership: namespace and internals, then context, then runtime.
  loaded.lifetimes.dispose();
}

/** Size of the WASM linear memory backing all runtimes of this module. */
export function wasmHeapBytes(wasm: QuickJSWASMModule): number {
  const internals = wasm as unknown as { module?: { HEAPU8?: Uint8Array } };
  return internals.module?.HEAPU8?.byteLength ?? 0;
}

/** A new runtime and context with the limits, the module loader and the bridge; nothing evaluated yet. */
function newModuleRuntime(wasm: QuickJSWASMModule, job: WorkerJob, invocation: Invocation, heapLimitBytes: number): LoadedModule {
  const clock = new Limiter(wasm, job.limits.memoryBytes, heapLimitBytes);
  const lifetimes = new Scope();
  try {
    return configureModuleRuntime(wasm, job, invocation, clock, lifetimes);
  } catch (error) {
    lifetimes.dispose();
    throw error;
  }
}

function configureModuleRuntime(wasm: QuickJSWASMModule, job: WorkerJob, invocation: Invocation, clock: Limiter, lifetimes: Scope): LoadedModule {
  const runtime = lifetimes.manage(wasm.newRuntime());
  runtime.setMemoryLimit(job.limits.memoryBytes);
  runtime.setMaxStackSize(job.limits.maxStackBytes);
  // Like shouldInterruptAfterDeadline, but the deadline moves while host calls run.
  runtime.setInterruptHandler(() => clock.shouldInterrupt());
  // An object literal, not a const: the loader reads the invocation running at the time.
  const loaded = { lifetimes, runtime, clock, invocation, uses: 0, heapAfterLoad: 0 } as LoadedModule;
  const refuse = (name: string) => {
    const { forbidden } = loaded.invocation;
    if (name && !forbidden.includes(name)) forbidden.push(name);
    // Dynamic import() reaches the loader with an empty name after the normalizer refused it.
    const shown = name || forbidden[forbidden.length - 1] || '(unknown)';
    return {
      error: new Error(`${FORBIDDEN_PREFIX} module "${shown}" is not available in the sandbox; allowed modules are ${ALLOWED_MODULES.join(', ')}`),
    };
  };
  runtime.setModuleLoader(
    (name) => GUEST_MODULES[name] ?? refuse(name),
    (base, requested) => {
      const internal = requested.startsWith('sym/_') && Object.hasOwn(GUEST_MODULES, requested);
      const fromSdk = base.startsWith('sym/');
      if ((ALLOWED_MODULES as readonly string[]).includes(requested) || (internal && fromSdk)) return requested;
      return refuse(requested);
    },
  );
  // ArrayBuffer storage is not counted by QuickJS's memory limit (measured: 2 GB allocated under a
  // 32 MB limit), and hooks exchange JSON only, so binary data types are left out entirely.
  const context = lifetimes.manage(runtime.newContext({ intrinsics: { ...DefaultIntrinsics, TypedArrays: false } }));
  loaded.context = context;
  // The returned strings are owned by quickjs-emscripten, which frees them once QuickJS has them.
  const bridge = (opHandle: QuickJSHandle, argsHandle: QuickJSHandle) => {
    const current = loaded.invocation;
    const op = context.typeof(opHandle) === 'string' ? context.getString(opHandle) : '';
    const args = context.typeof(argsHandle) === 'string' ? context.getString(argsHandle) : 'null';
    if (op === 'log') {
      // Capped here too, so a logging loop cannot flood the main thread with messages.
      if (++current.logLines <= current.job.limits.maxLogLines) current.log(args);
      return context.newString('{"ok":true,"value":null}');
    }
    if (args.length > current.job.limits.maxResultBytes) {
      const message = `host call arguments are ${args.length} characters of JSON; the limit is ${current.job.limits.maxResultBytes}`;
      return context.newString(JSON.stringify({ ok: false, code: 'host_denied', message }));
    }
    if (op === 'secret') current.readSecret = true;
    const pausedAt = clock.pause();
    try {
      return context.newString(current.callHost(op, args));
    } finally {
      clock.resume(pausedAt);
    }
  };
  Scope.withScope((scope) => context.setProp(context.global, BRIDGE_GLOBAL, scope.manage(context.newFunction('host', bridge))));
  return loaded;
}

/** First invocation of a module: boots the SDK, evaluates the user's module, then calls or inspects it. */
function evaluateAndCall(loaded: LoadedModule, job: WorkerJob, cpuAtStart?: number): WorkerOutcome {
  const { runtime, context, clock, lifetimes } = loaded;
  clock.begin(job.limits.cpuMs, cpuAtStart);
  return Scope.withScope((scope) => {
    const boot = settle(runtime, context, context.evalCode(`export * from '${BOOT_MODULE}';`, 'sym/_init', { type: 'module' }));
    if (!boot.ok) {
      const detail = boot.error === 'pending' ? { message: 'pending' } : describeError(context, clock, scope.manage(boot.error));
      throw new Error(`SDK bootstrap failed: ${detail.message}`);
    }
    loaded.internals = new Internals(runtime, context, lifetimes.manage(boot.value), lifetimes);
    const evaluated = settle(runtime, context, context.evalCode(job.source, job.filename, { type: 'module' }));
    if (!evaluated.ok) return failWith(loaded, owned(scope, evaluated.error), job, 'module');
    loaded.namespace = lifetimes.manage(evaluated.value);
    loaded.heapAfterLoad = wasmHeapBytes(clock.wasm);
    return job.mode === 'check' ? inspectModule(loaded, job) : callModule(loaded, job);
  });
}

/** Puts an error handle in `scope` (the 'pending' marker holds none). */
function owned(scope: Scope, error: QuickJSHandle | 'pending'): QuickJSHandle | 'pending' {
  return error === 'pending' ? error : scope.manage(error);
}

/** Handles to the SDK's worker-only functions; the diagnostics module is evaluated on first use. */
class Internals {
  private diagnosticsHandle: QuickJSHandle | undefined;
  private diagnosticsFailed = false;

  constructor(
    private readonly runtime: QuickJSRuntime,
    private readonly context: QuickJSContext,
    readonly boot: QuickJSHandle,
    /** The module's scope: the diagnostics handle lives as long as the module. */
    private readonly lifetimes: Scope,
  ) {}

  /** `inspect` and `describe`, or undefined when the guest left no time or memory to load them. */
  diagnostics(): QuickJSHandle | undefined {
    if (this.diagnosticsHandle || this.diagnosticsFailed) return this.diagnosticsHandle;
    const evaluated = settle(this.runtime, this.context, this.context.evalCode(`export * from '${DIAGNOSTICS_MODULE}';`, 'sym/_init_diagnostics', { type: 'module' }));
    if (evaluated.ok) this.diagnosticsHandle = this.lifetimes.manage(evaluated.value);
    else {
      this.diagnosticsFailed = true;
      // Nothing reads the error: the scope only frees it.
      Scope.withScope((scope) => owned(scope, evaluated.error));
    }
    return this.diagnosticsHandle;
  }
}

function callModule(loaded: LoadedModule, job: WorkerJob): WorkerOutcome {
  return Scope.withScope((scope) => callModuleIn(scope, loaded, job));
}

function callModuleIn(scope: Scope, loaded: LoadedModule, job: WorkerJob): WorkerOutcome {
  const { runtime, context } = loaded;
  const internals = loaded.internals!;
  const namespace = loaded.namespace!;
  // Parsed by the JSON.parse captured before user code ran (an object literal would treat a
  // "__proto__" key in request fields as a prototype).
  const callJson = scope.manage(context.newString(job.callJson ?? 'null'));
  const parsed = context.callMethod(internals.boot, 'fromJson', [callJson]);
  // Fails only when module code left no memory or time for it.
  if (parsed.error) return failWith(loaded, scope.manage(parsed.error), job, 'call');
  const spec = scope.manage(parsed.value);
  // UTF-16 length bounds UTF-8 bytes from below, so checking chars first is a cheap early stop.
  const maxChars = scope.manage(context.newNumber(job.limits.maxResultBytes));
  const result = settle(runtime, context, context.callMethod(internals.boot, 'invoke', [namespace, spec, maxChars]));
  if (!result.ok) return failWith(loaded, owned(scope, result.error), job, 'call');
  const value = scope.manage(result.value);
  const json = context.typeof(value) === 'string' ? context.getString(value) : undefined;
  if (json !== undefined && Buffer.byteLength(json) > job.limits.maxResultBytes) {
    return {
      ok: false,
      error: {
        code: 'result_too_large',
        message: `the result is ${Buffer.byteLength(json)} bytes of JSON; the limit is ${job.limits.maxResultBytes}`,
        stack: '',
      },
    };
  }
  return { ok: true, json };
}

function inspectModule(loaded: LoadedModule, job: WorkerJob): WorkerOutcome {
  return Scope.withScope((scope) => inspectModuleIn(scope, loaded, job));
}

function inspectModuleIn(scope: Scope, loaded: LoadedModule, job: WorkerJob): WorkerOutcome {
  const { runtime, context, clock } = loaded;
  const internals = loaded.internals!;
  const namespace = loaded.namespace!;
  const checkKind = job.checkKind ?? 'flow';
  const kind = scope.manage(context.newString(checkKind));
  const namesJson = scope.manage(context.newString(JSON.stringify(allowedExportNames(checkKind) ?? HOOK_NAMES)));
  const parsedNames = context.callMethod(internals.boot, 'fromJson', [namesJson]);
  // Fails only when module code left no memory or time for it.
  if (parsedNames.error) return failWith(loaded, scope.manage(parsedNames.error), job, 'call');
  const names = scope.manage(parsedNames.value);
  const diagnostics = internals.diagnostics();
  if (!diagnostics) {
    const code = clock.memoryExceeded ? 'memory' : 'timeout';
    return { ok: false, error: { code, message: 'the module left no time or memory to inspect it', stack: '' } };
  }
  const result = settle(runtime, context, context.callMethod(diagnostics, 'inspect', [namespace, kind, names]));
  if (!result.ok) return failWith(loaded, owned(scope, result.error), job, 'call');
  return { ok: true, json: context.getString(scope.manage(result.value)) };
}

type Settled = { ok: true; value: QuickJSHandle } | { ok: false; error: QuickJSHandle | 'pending' };

/**
 * Drains the job queue and unwraps a value that may be a promise. Takes ownership of `result`;
 * the caller owns the returned value or error handle (and must put it in a scope).
 */
function settle(runtime: QuickJSRuntime, context: QuickJSContext, result: ReturnType<QuickJSContext['evalCode']>): Settled {
  if (result.error) return { ok: false, error: result.error };
  return Scope.withScope((scope): Settled => {
    const handle = scope.manage(result.value);
    const jobs = runtime.executePendingJobs();
    if (jobs.error) return { ok: false, error: jobs.error };
    const state = context.getPromiseState(handle);
    // For a plain value the state holds `handle` itself, which the scope frees: hand out a copy.
    if (state.type === 'fulfilled') return { ok: true, value: state.notAPromise ? handle.dup() : state.value };
    if (state.type === 'rejected') return { ok: false, error: state.error };
    // Host calls are synchronous and there are no timers, so nothing could ever settle it.
    return { ok: false, error: 'pending' };
  });
}

interface Described {
  isError: boolean;
  name: string;
  message: string;
  stack: string;
  fileName?: string;
  lineNumber?: string;
  code: string;
}

function describeError(context: QuickJSContext, clock: Limiter, error: QuickJSHandle, internals?: Internals): Described {
  if (!internals) {
    return { isError: false, name: 'Error', message: String(context.dump(error)), stack: '', code: '' };
  }
  clock.start(DESCRIBE_BUDGET_MS);
  const diagnostics = internals.diagnostics();
  if (!diagnostics) {
    return { isError: false, name: 'Error', message: 'the thrown value could not be read', stack: '', code: '' };
  }
  return Scope.withScope((scope) => {
    const described = context.callMethod(diagnostics, 'describe', [error]);
    if (described.error) {
      scope.manage(described.error);
      return { isError: false, name: 'Error', message: 'the thrown value could not be read', stack: '', code: '' };
    }
    return JSON.parse(context.getString(scope.manage(described.value))) as Described;
  });
}

/** Classifies a failure; `errorHandle` stays owned by the caller's scope. */
function failWith(loaded: LoadedModule, errorHandle: QuickJSHandle | 'pending', job: WorkerJob, phase: 'module' | 'call'): WorkerOutcome {
  const { context, clock, internals } = loaded;
  const { forbidden } = loaded.invocation;
  if (errorHandle === 'pending') {
    const message = `the ${phase === 'module' ? 'module' : 'hook'} is waiting on a promise that can never settle (nothing is left to run)`;
    return { ok: false, error: { code: 'timeout', message, stack: '' } };
  }
  // QuickJS throws null when it runs out of memory while building the error itself.
  const nullAtCap = context.sameValue(errorHandle, context.null) && clock.heapNearCap();
  const d = describeError(context, clock, errorHandle, internals);
  const error: WorkerError = {
    code: clock.memoryExceeded || nullAtCap ? 'memory' : classify(d, forbidden, phase, job),
    message: '',
    stack: d.stack,
  };
  if (forbidden.length) error.forbidden = [...new Set(forbidden)];
  if (error.code === 'syntax' && d.lineNumber) {
    error.line = Number(d.lineNumber);
    const column = new RegExp(`${job.filename.replace(/\./g, '\\.')}:\\d+:(\\d+)`).exec(d.stack);
    if (column) error.column = Number(column[1]);
  }
  error.message = clock.memoryExceeded || nullAtCap ? `the hook used more than ${Math.round(job.limits.memoryBytes / 1048576)} MB of memory` : messageFor(error.code, d);
  return { ok: false, error };
}

function classify(d: Described, forbidden: string[], phase: 'module' | 'call', job: WorkerJob): SandboxErrorCode {
  const known = ['host_denied', 'timeout', 'result_too_large', 'runtime', 'missing_export', 'hook_exception'];
  if (d.code && known.includes(d.code)) return d.code === 'runtime' ? 'runtime' : (d.code as SandboxErrorCode);
  if (d.code === 'memory') return 'memory';
  if (!d.isError) return 'runtime';
  if (d.name === 'InternalError') {
    if (d.message === 'interrupted') return 'timeout';
    if (d.message === 'string too long') return 'memory';
  }
  // Also "SyntaxError: out of memory" from the RegExp compiler and the like.
  if (d.isError && d.message === 'out of memory') return 'memory';
  if (/stack overflow|maximum call stack/i.test(d.message) && (d.name === 'InternalError' || d.name === 'RangeError' || d.name === 'SyntaxError')) {
    return 'stack';
  }
  if (forbidden.length && d.message.startsWith(FORBIDDEN_PREFIX)) return 'forbidden_import';
  if (phase === 'module' && d.name === 'SyntaxError' && d.fileName === job.filename) return 'syntax';
  return 'runtime';
}

function messageFor(code: SandboxErrorCode, d: Described): string {
  const text = d.isError ? `${d.name}: ${d.message}` : `the hook threw a non-Error value (${d.name}): ${d.message}`;
  switch (code) {
    case 'timeout':
      return d.code === 'timeout' ? d.message : 'the hook ran past its CPU time limit';
    case 'memory':
      return `the hook ran out of memory (${d.message || 'out of memory'})`;
    case 'stack':
      return 'the hook exceeded the maximum stack size (too much recursion)';
    case 'forbidden_import':
      return d.message.slice(FORBIDDEN_PREFIX.length).trim();
    case 'hook_exception':
      // The hook's own words for the requester: no error class in front of them.
      return d.message;
    default:
      return text;
  }
}
