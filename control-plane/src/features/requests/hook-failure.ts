/** What a failed hook leaves on the request and in the API's 422 `hook_failed`. */
import { SandboxError } from '../../sandbox';
import { errorText } from './lifecycle-events';

/**
 * A `SymException` the hook raised is its own message for the requester, shown as written (the
 * sandbox already redacted secret values from it); any other failure says which hook failed and why.
 */
export function hookFailureText(what: string, err: unknown): string {
  if (err instanceof SandboxError && err.code === 'hook_exception') return errorText(err) || `The flow's ${what} raised SymException without a message`;
  return `The flow's ${what} failed: ${errorText(err)}`;
}
