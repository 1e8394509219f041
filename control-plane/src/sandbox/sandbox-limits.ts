/** Per-invocation resource limits; every field has a safe default in {@link DEFAULT_LIMITS}. */
export interface SandboxLimits {
  /** QuickJS heap limit (`setMemoryLimit`). */
  memoryBytes: number;
  /** QuickJS stack limit (`setMaxStackSize`); always set, since an unbounded stack aborts the WASM module. */
  maxStackBytes: number;
  /**
   * Guest CPU time (module evaluation + call + result serialisation), not counting host calls:
   * the worker thread's CPU time where Linux's `/proc` gives it (not time spent waiting for a core),
   * else wall time.
   */
  cpuMs: number;
  /** Wall-clock limit for each host call (HTTP, secrets, PagerDuty, identity cache). */
  hostCallTimeoutMs: number;
  /**
   * Wall-clock limit of the whole invocation from the moment it starts running, host calls
   * included (time queued for a worker is not counted). Past it the worker is stopped (`wall_clock`).
   */
  wallClockMs: number;
  /** Extra time after `cpuMs` before the worker is terminated for work QuickJS cannot interrupt. */
  hardStopGraceMs: number;
  /** Largest JSON leaving the guest, in UTF-8 bytes: the result, and each host call's arguments. */
  maxResultBytes: number;
  /** Host calls allowed per invocation (`wallClockMs` bounds their total time). */
  maxHostCalls: number;
  /** Largest HTTP response body handed to the guest, in bytes. */
  maxHttpResponseBytes: number;
  /** Console lines kept per invocation; further lines are counted and dropped. */
  maxLogLines: number;
}

/** Defaults from issue 3: 32 MB, 256 KB stack, 1 s CPU, 10 s per host call, 1 MB result; 30 s per invocation (issue 7). */
export const DEFAULT_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  memoryBytes: 32 * 1024 * 1024,
  maxStackBytes: 256 * 1024,
  cpuMs: 1000,
  hostCallTimeoutMs: 10_000,
  wallClockMs: 30_000,
  hardStopGraceMs: 500,
  maxResultBytes: 1024 * 1024,
  maxHostCalls: 100,
  maxHttpResponseBytes: 5 * 1024 * 1024,
  maxLogLines: 200,
});

/** Merges overrides onto the defaults, rejecting values that would disable a limit. */
export function resolveLimits(...overrides: Array<Partial<SandboxLimits> | undefined>): SandboxLimits {
  const limits: SandboxLimits = { ...DEFAULT_LIMITS };
  for (const override of overrides) {
    for (const [key, value] of Object.entries(override ?? {})) {
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new TypeError(`sandbox limit ${key} must be a positive finite number`);
      }
      (limits as unknown as Record<string, number>)[key] = value;
    }
  }
  return limits;
}
