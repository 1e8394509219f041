/** Why a sandboxed invocation failed; stable strings the request engine can record and match on. */
export type SandboxErrorCode =
  | 'timeout'
  | 'memory'
  | 'stack'
  | 'forbidden_import'
  | 'syntax'
  | 'runtime'
  | 'result_too_large'
  | 'host_denied'
  | 'killed'
  /** The module exports no function under the hook name called (callers may treat the hook as absent). */
  | 'missing_export'
  /** The invocation, host calls included, ran past `wallClockMs`; its worker was stopped. */
  | 'wall_clock'
  /** The hook threw Sym's `SymException` (or a subclass): its message is meant for the requester, as written. */
  | 'hook_exception';

/** Where in the user's source an error happened (1-based, as QuickJS reports it). */
export interface GuestLocation {
  file: string;
  line: number;
  column?: number;
}

/** The one error type the sandbox throws: a code, a redacted message and the guest's stack. */
export class SandboxError extends Error {
  readonly code: SandboxErrorCode;
  /** Guest stack frames ("at fn (impl.js:7:11)"), redacted; empty when the guest has none. */
  readonly guestStack: string;
  /** First frame in the user's file, when there is one. */
  readonly location: GuestLocation | undefined;

  constructor(code: SandboxErrorCode, message: string, guestStack = '', location?: GuestLocation) {
    super(message);
    this.name = 'SandboxError';
    this.code = code;
    this.guestStack = guestStack;
    this.location = location;
  }
}

/** Finds the first `file:line[:column]` frame of `file` in a QuickJS stack text. */
export function locateInStack(stack: string, file: string): GuestLocation | undefined {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+)(?::(\\d+))?`).exec(stack);
  if (!match) return undefined;
  return { file, line: Number(match[1]), column: match[2] ? Number(match[2]) : undefined };
}
