/**
 * Turning failures into diagnostics: a short summary, an actionable detail, an attribute path
 * where one is known, never a stack trace.
 */
import type { BlockSpec, ValueType } from '@opensym/schemas';
import { ApiError, ApiUnreachableError } from '../client/api-error';
import { log } from './log';
import type { ObjectSpec } from './object-spec';
import type { AttributePath, Diagnostic, PathStep } from './values';

/** Thrown by resources for user problems that are already diagnostics; may carry a partial state. */
export class DiagnosticsError extends Error {
  readonly diagnostics: Diagnostic[];
  /** State to record despite the failure (e.g. the members a composite create did make). */
  readonly partialState: unknown;
  constructor(diagnostics: Diagnostic[], partialState?: unknown) {
    super(diagnostics.map((d) => d.summary).join('; '));
    this.name = 'DiagnosticsError';
    this.diagnostics = diagnostics;
    this.partialState = partialState;
  }
}

/** An error diagnostic, optionally at an attribute path. */
export function errorDiagnostic(summary: string, detail?: string, path?: AttributePath): Diagnostic {
  return { severity: 'error', summary, ...(detail ? { detail } : {}), ...(path && path.length ? { path } : {}) };
}

/**
 * Converts a JSON pointer into the API body (`/params/prompt_field/0/type`) into a Terraform
 * attribute path using the schema: list block index → number, map block label → {key},
 * attribute → name, list/map attribute element → index/key. Unknown segments end the path.
 */
export function pointerToPath(spec: ObjectSpec, pointer: string): AttributePath {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path: PathStep[] = [];
  let obj: ObjectSpec | undefined = spec;
  let pendingBlock: { nesting: 'list' | 'map'; spec: ObjectSpec } | undefined;
  let valueType: ValueType | undefined;
  for (const seg of segments) {
    if (pendingBlock) {
      if (pendingBlock.nesting === 'list') {
        if (!/^\d+$/.test(seg)) break;
        path.push(Number(seg));
      } else path.push({ key: seg });
      obj = pendingBlock.spec;
      pendingBlock = undefined;
      continue;
    }
    if (valueType !== undefined) {
      if (typeof valueType === 'string' || 'set' in valueType) break;
      if ('list' in valueType) {
        if (!/^\d+$/.test(seg)) break;
        path.push(Number(seg));
        valueType = valueType.list;
      } else {
        path.push({ key: seg });
        valueType = valueType.map;
      }
      continue;
    }
    if (!obj) break;
    const attr = obj.attributes[seg];
    const block: BlockSpec | undefined = obj.blocks?.[seg];
    if (attr) {
      path.push(seg);
      valueType = attr.type;
      obj = undefined;
    } else if (block) {
      path.push(seg);
      if (block.nesting === 'single') obj = block;
      else pendingBlock = { nesting: block.nesting, spec: block };
    } else break;
  }
  return path;
}

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

/** Maps anything thrown during an RPC to diagnostics; unexpected errors lose their stack here. */
export function errorToDiagnostics(err: unknown, spec: ObjectSpec | undefined, action: string): Diagnostic[] {
  if (err instanceof DiagnosticsError) return err.diagnostics;
  if (err instanceof ApiError) return apiErrorToDiagnostics(spec ?? { attributes: {} }, err, action);
  if (err instanceof ApiUnreachableError) {
    return [
      errorDiagnostic(
        'Cannot reach the OpenSym control plane',
        `Could not ${action}: ${err.message}. Check the provider's api_url (or SYM_API_URL) and that the control plane is running.`,
      ),
    ];
  }
  const message = err instanceof Error ? err.message : String(err);
  // The user sees a short message; the stack goes to the provider log (TF_LOG=debug) for the bug report.
  log('error', `unexpected error while trying to ${action}`, { error: err instanceof Error ? (err.stack ?? message) : message });
  return [errorDiagnostic('Unexpected provider error', `Could not ${action}: ${message}. This is a bug in the provider; please report it.`)];
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

/** Normalises a validator issue path (array of steps or JSON pointer) into an attribute path. */
export function issuePath(spec: ObjectSpec, path: unknown): AttributePath {
  if (typeof path === 'string') return path.startsWith('/') ? pointerToPath(spec, path) : [path];
  if (!Array.isArray(path)) return [];
  return path.map((s): PathStep => {
    if (typeof s === 'number' || typeof s === 'string') return s;
    if (s && typeof s === 'object' && 'key' in s) return { key: String((s as { key: unknown }).key) };
    return String(s);
  });
}
