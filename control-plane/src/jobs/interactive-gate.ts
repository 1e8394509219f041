/**
 * Interactive work first: a Slack interaction must be acknowledged within 3 s (the bench aims at
 * 100 ms for 50 at once), and every acknowledgement shares this thread (and, on PGlite, the one
 * database connection) with the job runner. While interactions are being acknowledged, the runner
 * starts no new claim (running jobs go on), for at most `maxWaitMs` at a time so that a steady
 * stream of clicks cannot starve the jobs that do their work.
 */

/** Counts interactive work in flight; the job runner waits on `quiet()` before each claim. */
export interface InteractiveGate {
  /** Marks interactive work as started; call the returned function once it is over (idempotent). */
  enter(): () => void;
  /** Resolves once no interactive work is in flight, or after `maxWaitMs`. */
  quiet(): Promise<void>;
}

/** A gate whose `quiet()` waits at most `maxWaitMs` (default 100 ms). */
export function createInteractiveGate({ maxWaitMs = 100 }: { maxWaitMs?: number } = {}): InteractiveGate {
  let inFlight = 0;
  const waiting = new Set<() => void>();
  return {
    enter() {
      inFlight++;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        inFlight--;
        if (inFlight === 0) for (const release of [...waiting]) release();
      };
    },
    quiet() {
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const release = () => {
          clearTimeout(timer);
          waiting.delete(release);
          resolve();
        };
        const timer = setTimeout(release, maxWaitMs);
        waiting.add(release);
      });
    },
  };
}
