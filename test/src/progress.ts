/** Progress lines for long runs: node:test forwards a spec file's stderr as it arrives. */

const started = Date.now();

/** Prints one `[e2e +12.3s] message` line to stderr. */
export function progress(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`[e2e +${seconds}s] ${message}\n`);
}
