/** Retry delays for failed jobs: exponential, capped, with jitter so retries of a burst spread out. */

export interface BackoffOptions {
  /** Delay before the first retry, before jitter (default 1 s). */
  baseMs?: number;
  /** Upper bound for any delay (default 10 min). */
  maxMs?: number;
}

/** Milliseconds to wait before retrying after failed attempt number `attempt` (1-based). */
export type Backoff = (attempt: number) => number;

/**
 * `min(max, base * 2^(attempt-1))`, then "equal jitter": half of it fixed, half random. The fixed
 * half keeps a minimum spacing; the random half stops many jobs that failed together from
 * retrying together.
 */
export function exponentialBackoff({ baseMs = 1000, maxMs = 10 * 60_000 }: BackoffOptions = {}, random: () => number = Math.random): Backoff {
  return (attempt) => {
    const exponent = Math.min(Math.max(attempt - 1, 0), 30);
    const capped = Math.min(maxMs, baseMs * 2 ** exponent);
    return Math.round(capped / 2 + random() * (capped / 2));
  };
}

/** Accepts either ready-made delays or options for the default curve. */
export function toBackoff(backoff: Backoff | BackoffOptions | undefined): Backoff {
  return typeof backoff === 'function' ? backoff : exponentialBackoff(backoff);
}
