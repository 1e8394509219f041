/**
 * Turning failures into diagnostics: a short summary, an actionable detail, an attribute path
 * where one is known, never a stack trace. Generic: errors of a particular backend (the control
 * plane's, for this provider) are mapped by the provider's `errorDiagnostics` hook.
 */
import type { BlockSpec, ValueType } from '@opensym/schemas';
import { logger } from '../protocol/logger';
import type { AttributePath, Diagnostic, PathStep } from '../protocol/values';
import type { ObjectSpec } from './object-spec';

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

/**
 * Thrown by a resource when a failure belongs to one nested element (a block of a composite):
 * the cause is mapped to diagnostics as any error would be, then `place` gives each its path.
 */
export class NestedFailure extends Error {
  readonly failure: unknown;
  readonly action: string;
  readonly place: (diagnostic: Diagnostic, index: number) => AttributePath;
  /** State to record despite the failure, as for DiagnosticsError. */
  readonly partialState: unknown;
  constructor(failure: unknown, action: string, place: (diagnostic: Diagnostic, index: number) => AttributePath, partialState?: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = 'NestedFailure';
    this.failure = failure;
    this.action = action;
    this.place = place;
    this.partialState = partialState;
  }
}

/** Maps an error the provider's own code throws to diagnostics, or undefined when it is not one of its errors. */
export type ErrorDiagnostics = (err: unknown, spec: ObjectSpec, action: string) => Diagnostic[] | undefined;

/** An error diagnostic, optionally at an attribute path. */
export function errorDiagnostic(summary: string, detail?: string, path?: AttributePath): Diagnostic {
  return { severity: 'error', summary, ...(detail ? { detail } : {}), ...(path && path.length ? { path } : {}) };
}

/**
 * Converts a JSON pointer into a body shaped like the schema (`/params/prompt_field/0/type`)
 * into a Terraform attribute path: list block index → number, map block label → {key},
 * attribute → name, list/map attribute element → index/key, a block Terraform sees as a list of
 * one but the body holds as an object (`terraformNesting`) → index 0. Unknown segments end the path.
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
      // A block Terraform sees as a list of one (terraformNesting) is one object in the body.
      if (block.terraformNesting === 'list') {
        path.push(0);
        obj = block;
      } else if (block.nesting === 'single') obj = block;
      else pendingBlock = { nesting: block.nesting, spec: block };
    } else break;
  }
  return path;
}

/**
 * Maps anything thrown during an RPC to diagnostics: DiagnosticsError as is, nested failures
 * re-homed, the provider's own errors through `providerErrors`; anything else is a bug and
 * loses its stack here (the stack goes to the log).
 */
export function errorToDiagnostics(err: unknown, spec: ObjectSpec | undefined, action: string, providerErrors?: ErrorDiagnostics): Diagnostic[] {
  if (err instanceof DiagnosticsError) return err.diagnostics;
  if (err instanceof NestedFailure) {
    return errorToDiagnostics(err.failure, { attributes: {} }, err.action, providerErrors).map((d, i) => withPath(d, err.place(d, i)));
  }
  const mapped = providerErrors?.(err, spec ?? { attributes: {} }, action);
  if (mapped) return mapped;
  const message = err instanceof Error ? err.message : String(err);
  // The user sees a short message; the stack goes to the provider log (TF_LOG=debug) for the bug report.
  logger.error(`unexpected error while trying to ${action}`, { error: err instanceof Error ? (err.stack ?? message) : message });
  return [errorDiagnostic('Unexpected provider error', `Could not ${action}: ${message}. This is a bug in the provider; please report it.`)];
}

/** The state a failed apply should still record (what a composite did make), if the error carries one. */
export function partialStateOf(err: unknown): unknown {
  return err instanceof DiagnosticsError || err instanceof NestedFailure ? err.partialState : undefined;
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

function withPath(d: Diagnostic, path: AttributePath): Diagnostic {
  const { path: _old, ...rest } = d;
  return path.length ? { ...rest, path } : rest;
}
