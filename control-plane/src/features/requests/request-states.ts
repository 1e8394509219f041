import { requestStates, type RequestState } from '@opensym/schemas';

/**
 * Where a request is in its lifecycle (column `AccessRequest.state`): the list the API schema
 * declares (`@opensym/schemas` `requestStates`, with what each state means), not a copy of it.
 */
export const REQUEST_STATES = requestStates;

export type { RequestState };

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
