/**
 * The hard stop's budget, counted in CPU time the guest's thread used for the invocation. A timer
 * set for the budget left only says when the budget *could* be spent (a thread cannot use more CPU
 * than wall time passes); when it fires, the CPU clock decides: spent → `onExpired`, else the timer
 * is set again for what is left. Time the thread waited for a core, or that the main thread was too
 * busy to notice the job had ended, is thus never charged to the guest. The clock is read only
 * then: an invocation that ends within its budget of wall time (nearly all) costs no reading at all.
 * Without a CPU clock (not Linux) wall time between `start` and `pause` is the measure.
 */
import type { CpuClock } from './thread-cpu';

/** Never re-check sooner than this (one tick: the resolution of the `stat` clock, where `schedstat` is missing). */
const MIN_RECHECK_MS = 10;

/** What a watchdog needs; clocks and timers are injectable for tests. */
export interface CpuWatchdogOptions {
  /** CPU ms the guest may use before `onExpired`. */
  budgetMs: number;
  /**
   * CPU ms the guest's thread has used for this invocation so far (its waits on host calls cost it
   * next to nothing: the thread blocks); undefined when it cannot be read, and wall time counts.
   */
  cpuClock: CpuClock;
  onExpired: () => void;
  /** Called each time the budget's timer fires with the guest still running (before the clock decides). */
  onRecheck?: () => void;
  /** Wall clock in ms. */
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

// Node's timers, made once (a watchdog is made per invocation).
const setTimer = (fn: () => void, ms: number): unknown => setTimeout(fn, ms);
const clearTimer = (timer: unknown): void => clearTimeout(timer as NodeJS.Timeout);

/** Counts a job's guest CPU between `start`/`pause` pairs and calls `onExpired` once the budget is spent. */
export class CpuWatchdog {
  /**
   * At least the CPU ms used before the running stretch: the clock's reading when it was last
   * read, plus the wall time of the stretches since (an upper bound of their CPU).
   */
  private boundMs = 0;
  /** Wall time the running stretch started (or was last measured from). */
  private since: number | undefined;
  private timer: unknown;
  private expired = false;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: CpuWatchdogOptions) {
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? setTimer;
    this.clearTimer = options.clearTimer ?? clearTimer;
  }

  /** The guest runs (again) from now on. */
  start(): void {
    if (this.expired || this.since !== undefined) return;
    this.since = this.now();
    this.arm();
  }

  /** The guest stopped running (a host call, or the end of the job): its wall time is counted. */
  pause(): void {
    if (this.since === undefined) return;
    this.clearTimer(this.timer);
    this.boundMs += this.now() - this.since;
    this.since = undefined;
  }

  /** Ms charged so far: the CPU clock's reading, or wall time without one. */
  used(): number {
    return this.options.cpuClock() ?? this.wallBound();
  }

  /** CPU ms used at most: the bound plus the running stretch's wall time. */
  private wallBound(): number {
    return this.boundMs + (this.since === undefined ? 0 : this.now() - this.since);
  }

  private arm(): void {
    let left = this.options.budgetMs - this.wallBound();
    if (left <= 0) {
      // Wall time says the budget could be spent: the CPU clock decides.
      const cpu = this.options.cpuClock();
      if (cpu !== undefined) {
        this.boundMs = cpu;
        if (this.since !== undefined) this.since = this.now();
        left = this.options.budgetMs - cpu;
      }
    }
    if (left <= 0) {
      this.expired = true;
      this.since = undefined;
      this.options.onExpired();
      return;
    }
    this.timer = this.setTimer(
      () => {
        if (this.since === undefined) return;
        this.options.onRecheck?.();
        this.arm();
      },
      Math.max(MIN_RECHECK_MS, left),
    );
  }
}
