/**
 * Remembers the signatures of accepted Slack requests for the signature window, so the same signed
 * request sent again (a replay) is refused. In memory, per process: a replay sent to another process
 * of the same control plane is not refused by this guard, but the work it would cause is keyed by the
 * signature in the job queue (`dedupeKey`), so it is done once.
 */
import { SIGNATURE_WINDOW_SECONDS } from './slack-signature';

/** Accepts a signature once within the window. */
export interface ReplayGuard {
  /** True the first time `signature` (of a request stamped `timestampSeconds`) is seen; false for a replay. */
  firstUse(signature: string, timestampSeconds: number, nowSeconds: number): boolean;
}

/** The in-memory guard; entries older than the window are dropped as new ones come. */
export function createReplayGuard(): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    firstUse(signature, timestampSeconds, nowSeconds) {
      // Insertion order is roughly time order: drop expired entries from the front.
      for (const [sig, expires] of seen) {
        if (expires >= nowSeconds) break;
        seen.delete(sig);
      }
      if (seen.has(signature)) return false;
      seen.set(signature, Math.max(timestampSeconds, nowSeconds) + SIGNATURE_WINDOW_SECONDS);
      return true;
    },
  };
}
