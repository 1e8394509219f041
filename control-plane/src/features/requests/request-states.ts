/** Where a request is in its lifecycle (column `AccessRequest.state`). */
export const REQUEST_STATES = [
  /** Waiting for an approver; expires at `pendingUntil`. */
  'pending',
  /** Approved; a strategy flow escalates next (job `escalate`), an approval-only flow ends here. */
  'approved',
  'denied',
  /** `on_request` returned `events.approval.ignore(...)`: nothing happens. */
  'ignored',
  /** Nobody decided before the pending TTL ran out. */
  'expired',
  /** Access granted until `activeUntil`. */
  'active',
  /** Expired or revoked; the strategy is taking the access back (job `deescalate`). */
  'deescalating',
  /** The strategy failed to take the access back; retried with backoff until it succeeds. */
  'deescalation_failed',
  /** Access granted and taken back. */
  'done',
  /**
   * Escalation failed for good before the strategy was reached (it was deleted, or its type cannot
   * run), so nothing was granted. A failure after the strategy may have run goes `deescalating`
   * instead. Revocable, so an operator can always make sure nothing is left.
   */
  'failed',
] as const;

/** One of {@link REQUEST_STATES}. */
export type RequestState = (typeof REQUEST_STATES)[number];

/** States from which the strategy may still hold access that must be taken back. */
export const DEESCALATION_STATES: readonly RequestState[] = ['active', 'deescalating', 'deescalation_failed'];

/**
 * States `revoke` starts a deescalation from: a grant, a failed escalation (to make sure nothing
 * is left), and a failed deescalation (to take it back now instead of at the next retry).
 */
export const REVOCABLE_STATES: readonly RequestState[] = ['active', 'failed', 'deescalation_failed'];

/** True for a state name. */
export function isRequestState(value: string): value is RequestState {
  return (REQUEST_STATES as readonly string[]).includes(value);
}
