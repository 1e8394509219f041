/**
 * The two limits the main thread keeps on one invocation, shared by the QuickJS pool
 * (`create-sandbox.ts`) and the Python engine (`python/python-engine.ts`): the guest's time budget,
 * which runs only while guest code runs (paused during host calls), and the wall-clock limit,
 * which covers everything, host calls included.
 */
export class InvocationClock {
  private watchdog: NodeJS.Timeout | undefined;
  private wallClock: NodeJS.Timeout | undefined;
  private guestSince = 0;
  private guestMsUsed = 0;

  /**
   * @param guestBudgetMs time guest code may run in all, across host calls
   * @param onGuestOverrun called once the guest has run that long without stopping
   */
  constructor(
    private readonly guestBudgetMs: number,
    private readonly onGuestOverrun: () => void,
  ) {}

  /** Starts the wall-clock limit: `onExpired` runs `ms` from now unless the clock is stopped first. */
  startWallClock(ms: number, onExpired: () => void): void {
    this.wallClock = setTimeout(onExpired, ms);
  }

  /** Guest code runs (again): the watchdog fires once what is left of the budget is spent. */
  resumeGuest(): void {
    this.guestSince = Date.now();
    this.watchdog = setTimeout(this.onGuestOverrun, Math.max(0, this.guestBudgetMs - this.guestMsUsed));
  }

  /** Guest code waits (a host call): the time it ran is counted and the watchdog is held. */
  pauseGuest(): void {
    clearTimeout(this.watchdog);
    this.guestMsUsed += Date.now() - this.guestSince;
  }

  /** The invocation has ended: neither limit fires any more. */
  stop(): void {
    clearTimeout(this.watchdog);
    clearTimeout(this.wallClock);
  }
}
