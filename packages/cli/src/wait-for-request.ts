import type { AccessRequest, SymClient } from '@opensym/api-client';
import { SymApiError } from '@opensym/api-client';
import { EXIT, exitCodeForState } from './exit-codes';
import type { Io } from './io';

/** How `sym request --wait` ended: the exit code and the request as last seen. */
export interface WaitOutcome {
  code: number;
  request: AccessRequest;
  /** True when Ctrl-C (or `signal`) stopped the wait; the request was left as it was. */
  interrupted: boolean;
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Whether a request of this flow ends at `approved` (no strategy escalates it). A token that may
 * not read flows (a guest) cannot tell; then approval counts as the outcome, as for approval-only.
 */
async function isApprovalOnly(client: SymClient, flowId: string): Promise<boolean> {
  try {
    const flow = await client.raw.GET('/api/v1/entities/flows/{id}', { params: { path: { id: flowId } } });
    if (!flow.response.ok || !flow.data) return true;
    return !flow.data.params?.strategy_id;
  } catch {
    return true;
  }
}

/**
 * Polls the request every `intervalMs` until it settles (see {@link exitCodeForState}). While
 * waiting, a spinner with the state and the elapsed time is drawn on stderr, only when stderr is
 * a terminal. `signal` (Ctrl-C) stops the wait and nothing else: the request is not cancelled.
 */
export async function waitForRequest(client: SymClient, first: AccessRequest, { io, intervalMs, signal }: { io: Io; intervalMs: number; signal: AbortSignal }): Promise<WaitOutcome> {
  let request = first;
  let approvalOnly: boolean | undefined;
  const started = Date.now();
  let frame = 0;
  const draw = () => {
    if (!io.errIsTty) return;
    const seconds = Math.floor((Date.now() - started) / 1000);
    io.err(`\r\x1b[2K${frames[frame++ % frames.length]} request ${request.id}: ${request.state} (${seconds}s, Ctrl-C stops waiting)`);
  };
  const clear = () => {
    if (io.errIsTty) io.err('\r\x1b[2K');
  };
  const spinner = io.errIsTty ? setInterval(draw, 100) : undefined;
  try {
    for (;;) {
      if (request.state === 'approved' && approvalOnly === undefined) approvalOnly = await isApprovalOnly(client, request.flow.id);
      const code = exitCodeForState(request.state, approvalOnly ?? false, request.active_until !== null);
      if (code !== null) return { code, request, interrupted: false };
      draw();
      const stopped = await pause(intervalMs, signal);
      if (stopped) return { code: EXIT.interrupted, request, interrupted: true };
      try {
        request = await client.requests.get(request.id);
      } catch (err) {
        // A blip (restart, proxy) must not end a long wait; anything the API refuses does.
        if (err instanceof SymApiError ? err.status < 500 : !(err instanceof TypeError || (err as Error).name === 'TimeoutError')) throw err;
      }
    }
  } finally {
    if (spinner) clearInterval(spinner);
    clear();
  }
}

/** Resolves after `ms` with false, or at once with true when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(false);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
