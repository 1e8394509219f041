import type { AccessRequestState } from '@opensym/api-client';

/** Process exit codes of `sym`; `request --wait` tells the outcome apart (also in the README). */
export const EXIT = {
  ok: 0,
  /** An API or usage error (commander's own usage errors exit 1 too). */
  error: 1,
  denied: 3,
  expired: 4,
  /** The strategy could not grant the access (whatever it may have granted was taken back). */
  failed: 5,
  /** `on_request` ignored the request. */
  ignored: 6,
  /** The access was granted and has already ended (revoked or expired) by the time it was seen. */
  ended: 7,
  /** Ctrl-C while waiting; the request itself is left as it is. */
  interrupted: 130,
} as const;

/**
 * The exit code for a request `--wait` saw settle in `state`, or null while it is still on its
 * way (pending; approved on a flow with a strategy, which escalates next). `everActive` tells a
 * grant that ended (revoked, expired) from an escalation that failed: a failure after the strategy
 * may have run is taken back at once, so such a request goes to deescalating/done without ever
 * having been active.
 */
export function exitCodeForState(state: AccessRequestState, approvalOnly: boolean, everActive = true): number | null {
  switch (state) {
    case 'pending':
      return null;
    case 'approved':
      return approvalOnly ? EXIT.ok : null;
    case 'active':
      return EXIT.ok;
    case 'denied':
      return EXIT.denied;
    case 'expired':
      return EXIT.expired;
    case 'failed':
      return EXIT.failed;
    case 'ignored':
      return EXIT.ignored;
    case 'deescalating':
    case 'deescalation_failed':
    case 'done':
      return everActive ? EXIT.ended : EXIT.failed;
  }
}
