/**
 * The control plane's errors as diagnostics: problem+json field errors at their attributes, a
 * summary and a hint per error code, an unreachable control plane. The framework calls
 * `apiErrorDiagnostics` (its `errorDiagnostics` hook) for every error a resource throws.
 */
import { ApiError, ApiUnreachableError } from '../client/api-error';
import { errorDiagnostic, errorToDiagnostics as frameworkErrorToDiagnostics, pointerToPath } from '../framework/diagnostics';
import type { ObjectSpec } from '../framework/object-spec';
import type { Diagnostic } from '../protocol/values';

/** Maps a problem+json answer to diagnostics: field errors at their attributes, else one diagnostic. */
export function apiErrorToDiagnostics(spec: ObjectSpec, err: ApiError, action: string): Diagnostic[] {
  const summary = summaryFor(err);
  if (err.errors.length > 0) {
    return err.errors.map((fe) => {
      const path = pointerToPath(spec, fe.pointer);
      const where = path.length ? '' : fe.pointer ? ` (at ${fe.pointer})` : '';
      return errorDiagnostic(summary, `${fe.detail || err.detail}${where}`, path);
    });
  }
  const detail = [err.detail || err.title, hintFor(err)].filter(Boolean).join(' ');
  return [errorDiagnostic(summary, `Could not ${action}: ${detail} (HTTP ${err.status}, ${err.code}).`)];
}

/** The control plane's errors as diagnostics; undefined for any other error. */
export function apiErrorDiagnostics(err: unknown, spec: ObjectSpec, action: string): Diagnostic[] | undefined {
  if (err instanceof ApiError) return apiErrorToDiagnostics(spec, err, action);
  if (err instanceof ApiUnreachableError) {
    return [errorDiagnostic('Cannot reach the OpenSym control plane', `Could not ${action}: ${err.message}. Check the provider's api_url (or SYM_API_URL) and that the control plane is running.`)];
  }
  return undefined;
}

/** Maps anything thrown during an RPC to diagnostics, the control plane's errors included. */
export function errorToDiagnostics(err: unknown, spec: ObjectSpec | undefined, action: string): Diagnostic[] {
  return frameworkErrorToDiagnostics(err, spec, action, apiErrorDiagnostics);
}

function summaryFor(err: ApiError): string {
  switch (err.code) {
    case 'validation_failed':
      return 'Invalid value';
    case 'reference_not_found':
      return 'Referenced object not found';
    case 'duplicate_name':
      return 'Name already in use';
    case 'still_referenced':
      return err.requestCount === undefined ? 'Object still in use' : 'Object still needed by live access requests';
    case 'unauthorized':
      return 'Invalid API token';
    case 'forbidden':
      return 'Permission denied';
    default:
      return err.title || `Control plane error ${err.status}`;
  }
}

function hintFor(err: ApiError): string {
  switch (err.code) {
    case 'unauthorized':
      return 'Check the provider token (or SYM_JWT).';
    case 'forbidden':
      return 'Changing objects needs a token with the admin role.';
    case 'still_referenced':
      // The control plane's detail names the live requests and says to revoke them or wait.
      return err.requestCount === undefined ? 'Remove or change the objects that refer to it first.' : '';
    default:
      return '';
  }
}
