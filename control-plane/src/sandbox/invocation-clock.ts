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
  private wallClock: NodeJS.Timeout | undefined;

  /**
   * @param guestBudgetMs time guest code may run in all, across host calls
   * @param onGuestOverrun called once the guest has run that long without stopping
   * @param cpuClock CPU ms the guest's thread has used for this invocation; without one (or where
   *   it cannot be read) wall time
   */
  constructor(guestBudgetMs: number, onGuestOverrun: () => void, cpuClock: CpuClock = () => undefined) {
    this.guest = new CpuWatchdog({ budgetMs: guestBudgetMs, cpuClock, onExpired: onGuestOverrun });
  }

  /** Starts the wall-clock limit: `onExpired` runs `ms` from now unless the clock is stopped first. */
  startWallClock(ms: number, onExpired: () => void): void {
    this.wallClock = setTimeout(onExpired, ms);
  }

  /** Guest code runs (again): the watchdog fires once what is left of the budget is spent. */
  resumeGuest(): void {
    this.guest.start();
  }

  /** Guest code waits (a host call): the time it ran is counted and the watchdog is held. */
  pauseGuest(): void {
    this.guest.pause();
  }

  /** The invocation has ended: neither limit fires any more. */
  stop(): void {
    this.guest.pause();
    clearTimeout(this.wallClock);
  }
}
