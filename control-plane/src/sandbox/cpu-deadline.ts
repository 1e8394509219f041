/**
 * The guest's own CPU deadline, checked by QuickJS's interrupt handler inside the worker. The
 * cheap wall-clock deadline is checked first; only once it has passed is the thread's CPU clock
 * read, and if the thread used less CPU than the budget (it waited for a core on a loaded
 * machine) the deadline moves on by what is left. Host calls push the deadline back by their
 * duration (the thread only waits in them). Without a CPU clock the wall deadline decides.
 */
import type { CpuClock } from './thread-cpu';

/** One tick (the `stat` clock's resolution, where `schedstat` is missing): the deadline never moves by less. */
const MIN_EXTENSION_MS = 10;

/** A CPU budget for one stretch of guest work; clocks are injectable for tests. */
export class CpuDeadline {
  private deadline = 0;
  private budgetMs = 0;
  private cpuAtStart: number | undefined;
  /** CPU the thread used in host calls (serialising, waiting): not the guest's. */
  private hostCpuMs = 0;

  constructor(
    private readonly cpuClock: CpuClock,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new budget of `ms` from now; `cpuNow`: the thread's CPU clock read just before, if the caller has it (one read saved). */
  start(ms: number, cpuNow?: number): void {
    this.budgetMs = ms;
    this.deadline = this.now() + ms;
    this.cpuAtStart = cpuNow ?? this.cpuClock();
    this.hostCpuMs = 0;
  }

  /** A host call starts; returns what `resume` needs. */
  pause(): { wall: number; cpu: number | undefined } {
    return { wall: this.now(), cpu: this.cpuClock() };
  }

  /** The host call that began at `paused` returned: its time is not the guest's. */
  resume(paused: { wall: number; cpu: number | undefined }): void {
    this.deadline += this.now() - paused.wall;
    const cpu = this.cpuClock();
    if (cpu !== undefined && paused.cpu !== undefined) this.hostCpuMs += cpu - paused.cpu;
  }

  /** Whether the guest has used its budget. */
  passed(): boolean {
    const now = this.now();
    if (now <= this.deadline) return false;
    const cpu = this.cpuAtStart === undefined ? undefined : this.cpuClock();
    if (cpu === undefined) return true;
    const left = this.budgetMs - (cpu - this.cpuAtStart! - this.hostCpuMs);
    if (left <= 0) return true;
    // A thread cannot use more CPU than wall time passes: look again once `left` could be spent.
    this.deadline = now + Math.max(MIN_EXTENSION_MS, left);
    return false;
  }
}
