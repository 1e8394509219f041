import { SymApiError, type Problem } from '@opensym/api-client';
import { EXIT } from './exit-codes';

/** Where a command writes: machine output or tables on `out`, messages and progress on `err`. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is a terminal (progress lines are drawn only then). */
  errIsTty: boolean;
}

/** The process's own streams. */
export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    errIsTty: process.stderr.isTTY === true,
  };
}

/** Prints `value` as indented JSON on stdout. */
export function printJson(io: Io, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** A message for an error that did not come from the API (network, credentials, a bad flag). */
function localMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // fetch says only "fetch failed"; the reason (ECONNREFUSED, DNS) is in its cause.
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message ? `${err.message}: ${cause.message}` : err.message;
}

/**
 * Reports a failed command and returns its exit code (1): an API error as
 * `error: <title>: <detail>` (plus one line per field error) on stderr, or with `--json` its
 * problem document on stdout; any other error as `error: <message>`, or a problem-shaped JSON
 * object with the code `cli_error`.
 */
export function reportError(io: Io, json: boolean, err: unknown): number {
  if (err instanceof SymApiError) {
    if (json) printJson(io, err.problem);
    else {
      io.err(`error: ${err.title}${err.detail ? `: ${err.detail}` : ''}\n`);
      for (const e of err.errors) io.err(`  ${e.pointer || '/'}: ${e.detail}\n`);
    }
    return EXIT.error;
  }
  const message = localMessage(err);
  if (json) printJson(io, { type: 'about:blank', title: 'CLI error', status: 0, code: 'cli_error', detail: message } satisfies Omit<Problem, 'code'> & { code: string });
  else io.err(`error: ${message}\n`);
  return EXIT.error;
}
