/**
 * The two limits the main thread keeps on one invocation, shared by the QuickJS pool
 * (`create-sandbox.ts`) and the Python engine (`python/python-engine.ts`): the guest's time budget,
 * which runs only while guest code runs (paused during host calls), and the wall-clock limit,
 * which covers everything, host calls included.
 */
import { CpuWatchdog } from './cpu-watchdog';
import type { CpuClock } from './thread-cpu';

/** One invocation's guest budget and wall-clock limit. */
export class InvocationClock {
  private readonly guest: CpuWatchdog;
  private wall: { deadline: number; onExpired: () => void } | undefined;
  private wallClock: NodeJS.Timeout | undefined;
  private stopped = false;

  /**
   * @param guestBudgetMs time guest code may run in all, across host calls
   * @param onGuestOverrun called once the guest has run that long without stopping
   * @param cpuClock CPU ms the guest's thread has used for this invocation; without one (or where
   *   it cannot be read) wall time
   */
  constructor(
    private readonly guestBudgetMs: number,
    onGuestOverrun: () => void,
    cpuClock: CpuClock = () => undefined,
  ) {
    this.guest = new CpuWatchdog({ budgetMs: guestBudgetMs, cpuClock, onExpired: onGuestOverrun, onRecheck: () => this.armWallClock() });
  }

  /**
   * Starts the wall-clock limit: `onExpired` runs `ms` from now unless the clock is stopped first.
   * Its timer is set only once the limit could be reached: at the first host call, or when the
   * guest has run for its budget in wall time without spending it (the watchdog's first re-check),
   * whichever comes first. Nearly every invocation ends before either and costs no timer.
   */
  startWallClock(ms: number, onExpired: () => void): void {
    this.wall = { deadline: Date.now() + ms, onExpired };
    if (ms <= this.guestBudgetMs) this.armWallClock();
  }

  /** Guest code runs (again): the watchdog fires once what is left of the budget is spent. */
  resumeGuest(): void {
    this.guest.start();
  }

  /** Guest code waits (a host call): the time it ran is counted and the watchdog is held. */
  pauseGuest(): void {
    this.guest.pause();
    this.armWallClock();
  }

  /** The invocation has ended: neither limit fires any more. */
  stop(): void {
    this.stopped = true;
    this.guest.pause();
    clearTimeout(this.wallClock);
  }

  private armWallClock(): void {
    if (!this.wall || this.wallClock !== undefined || this.stopped) return;
    this.wallClock = setTimeout(this.wall.onExpired, Math.max(0, this.wall.deadline - Date.now()));
  }
}
