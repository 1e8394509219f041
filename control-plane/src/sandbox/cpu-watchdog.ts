/**
 * The hard stop's budget, counted in the guest thread's CPU time. A timer set for the budget left
 * only says when the budget *could* be spent (a thread cannot use more CPU than wall time passes);
 * when it fires, the thread's CPU clock decides: spent → `onExpired`, else the timer is set again
 * for what is left. Time the thread waited for a core, or that the main thread was too busy to
 * notice the job had ended, is thus never charged to the guest. Without a CPU clock (not Linux)
 * wall time between `start` and `pause` is the measure, as it was before.
 */
import type { CpuClock } from './thread-cpu';

/** The `/proc` clock's resolution (one tick): never re-check sooner than this. */
const MIN_RECHECK_MS = 10;

/** What a watchdog needs; clocks and timers are injectable for tests. */
export interface CpuWatchdogOptions {
  /** CPU ms the guest may use before `onExpired`. */
  budgetMs: number;
  /** The guest thread's CPU clock (ms); a reading of undefined falls back to wall time. */
  cpuClock: CpuClock;
  onExpired: () => void;
  /** Wall clock in ms. */
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/** Counts a job's guest CPU between `start`/`pause` pairs and calls `onExpired` once the budget is spent. */
export class CpuWatchdog {
  /** CPU (or wall) ms charged in earlier running stretches. */
  private usedMs = 0;
  private since: { cpu: number | undefined; wall: number } | undefined;
  private timer: unknown;
  private expired = false;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: CpuWatchdogOptions) {
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
  }

  /** The guest runs (again) from now on. */
  start(): void {
    if (this.expired || this.since) return;
    this.since = { cpu: this.options.cpuClock(), wall: this.now() };
    this.arm();
  }

  /** The guest stopped running (a host call, or the end of the job): charge this stretch. */
  pause(): void {
    if (!this.since) return;
    this.clearTimer(this.timer);
    this.usedMs += this.stretchMs();
    this.since = undefined;
  }

  /** Ms charged so far, the running stretch included. */
  used(): number {
    return this.usedMs + (this.since ? this.stretchMs() : 0);
  }

  private stretchMs(): number {
    const since = this.since!;
    const cpu = since.cpu === undefined ? undefined : this.options.cpuClock();
    // A clock that stops reading (the thread is gone) charges wall time for this stretch.
    return cpu === undefined ? this.now() - since.wall : Math.max(0, cpu - since.cpu!);
  }

  private arm(): void {
    const left = this.options.budgetMs - this.used();
    if (left <= 0) {
      this.expired = true;
      this.since = undefined;
      this.options.onExpired();
      return;
    }
    this.timer = this.setTimer(
      () => {
        if (this.since) this.arm();
      },
      Math.max(MIN_RECHECK_MS, left),
    );
  }
}
