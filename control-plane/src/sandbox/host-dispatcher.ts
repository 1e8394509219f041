// The main thread's side of every door out of the sandbox. Guest arguments arrive as JSON text
// and are validated here, because anything the guest sends may be hostile.
import { isHostAllowed } from './host-allowlist';
import type { JsonValue, SandboxIntegration, SymUser } from './sandbox-call';
import type { SandboxHost } from './sandbox-host';
import type { SandboxLimits } from './sandbox-limits';
import type { SecretRedactor } from './secret-redactor';
import type { HostReplyBody } from './worker-protocol';

/** A host-call failure the guest sees as a thrown error with this `code`. */
export class HostCallError extends Error {
  constructor(
    readonly code: 'host_denied' | 'timeout' | 'host_error',
    message: string,
  ) {
    super(message);
  }
}

/** Everything a dispatcher needs for one invocation. */
export interface HostDispatcherOptions {
  host: SandboxHost;
  limits: SandboxLimits;
  redactor: SecretRedactor;
  integration?: SandboxIntegration;
  /** Plan-time checks get no doors at all. */
  denyAll?: string;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Builds the function answering the guest's host calls with reply JSON (never throws). */
export function createHostDispatcher(options: HostDispatcherOptions): (op: string, args: string) => Promise<string> {
  const { host, limits, redactor } = options;
  let calls = 0;
  const handlers: Record<string, (args: unknown) => Promise<unknown>> = {
    http: (args) => performHttp(args, host.allowedHosts ?? [], limits),
    secret: async (args) => {
      const index = (args as { index?: unknown })?.index;
      const secrets = options.integration?.secrets ?? [];
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= secrets.length) {
        throw new HostCallError('host_denied', `the integration has no secret at index ${String(index)}`);
      }
      if (!host.retrieveSecret) throw new HostCallError('host_denied', 'no secret source is configured');
      const value = await host.retrieveSecret(secrets[index], options.integration!);
      if (typeof value !== 'string') throw new HostCallError('host_error', 'the secret source returned a non-string value');
      redactor.add(value);
      return value;
    },
    'pagerduty.on_call': async (args) => {
      if (!host.pagerduty) throw new HostCallError('host_denied', 'PagerDuty is not configured for this flow');
      return host.pagerduty.onCall(scheduleQuery(args));
    },
    'pagerduty.is_on_call': async (args) => {
      if (!host.pagerduty) throw new HostCallError('host_denied', 'PagerDuty is not configured for this flow');
      const { user, query } = (args ?? {}) as { user?: unknown; query?: unknown };
      if (!user || typeof user !== 'object') throw new HostCallError('host_error', 'pagerduty.is_on_call needs a user');
      return host.pagerduty.isOnCall(user as SymUser, scheduleQuery(query));
    },
    'identity.get': async (args) => {
      const { user_id, integration_id } = identityKey(args);
      return (await host.identityCache?.get(user_id, integration_id)) ?? null;
    },
    'identity.set': async (args) => {
      const { user_id, integration_id } = identityKey(args);
      await host.identityCache?.set(user_id, integration_id, ((args as { identity?: JsonValue }).identity ?? null) as JsonValue);
      return null;
    },
  };

  return async (op, argsText) => {
    let body: HostReplyBody;
    try {
      if (options.denyAll) throw new HostCallError('host_denied', options.denyAll);
      const handler = Object.hasOwn(handlers, op) ? handlers[op] : undefined;
      if (!handler) throw new HostCallError('host_denied', `unknown host call ${JSON.stringify(op).slice(0, 60)}`);
      if (++calls > limits.maxHostCalls) {
        throw new HostCallError('host_denied', `more than ${limits.maxHostCalls} host calls in one invocation`);
      }
      const value = await withTimeout(handler(JSON.parse(argsText)), limits.hostCallTimeoutMs, op);
      body = { ok: true, value: value === undefined ? null : value };
    } catch (error) {
      const code = error instanceof HostCallError ? error.code : 'host_error';
      const message = error instanceof Error ? error.message : String(error);
      body = { ok: false, code, message: redactor.redact(message) };
    }
    try {
      return JSON.stringify(body);
    } catch {
      return JSON.stringify({ ok: false, code: 'host_error', message: `host call ${op} returned data that is not JSON` });
    }
  };
}

function scheduleQuery(args: unknown): { schedule?: string; escalation_policy?: string } {
  const { schedule, escalation_policy } = (args ?? {}) as Record<string, unknown>;
  const query: { schedule?: string; escalation_policy?: string } = {};
  if (typeof schedule === 'string') query.schedule = schedule;
  if (typeof escalation_policy === 'string') query.escalation_policy = escalation_policy;
  return query;
}

function identityKey(args: unknown): { user_id: string; integration_id: string } {
  const { user_id, integration_id } = (args ?? {}) as Record<string, unknown>;
  if (typeof user_id !== 'string' || typeof integration_id !== 'string') {
    throw new HostCallError('host_error', 'identity cache keys must be strings');
  }
  return { user_id, integration_id };
}

async function withTimeout<T>(work: Promise<T>, ms: number, op: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HostCallError('timeout', `host call ${op} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface HttpArgs {
  method: string;
  url: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  json?: unknown;
  data?: string;
}

async function performHttp(raw: unknown, allowedHosts: readonly string[], limits: SandboxLimits) {
  const args = raw as HttpArgs;
  if (!args || typeof args !== 'object' || typeof args.url !== 'string' || !METHODS.has(args.method)) {
    throw new HostCallError('host_error', 'malformed HTTP request');
  }
  let url: URL;
  try {
    url = new URL(args.url);
  } catch {
    throw new HostCallError('host_error', `invalid URL ${JSON.stringify(args.url.slice(0, 200))}`);
  }
  // Checked before anything touches the network, so a denied host sees no traffic at all.
  if (!isHostAllowed(url, allowedHosts)) {
    throw new HostCallError(
      'host_denied',
      `HTTP to ${url.protocol}//${url.host} is not allowed; allowed hosts: ${allowedHosts.join(', ') || '(none)'}`,
    );
  }
  for (const [key, value] of Object.entries(args.params ?? {})) url.searchParams.append(key, String(value));
  const headers = new Headers();
  for (const [key, value] of Object.entries(args.headers ?? {})) headers.set(key, String(value));
  let body: string | undefined;
  if (args.json !== undefined) {
    body = JSON.stringify(args.json);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  } else if (typeof args.data === 'string') {
    body = args.data;
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: args.method,
      headers,
      body,
      // Following a redirect could leave the allowlist; the guest sees the 3xx instead.
      redirect: 'manual',
      signal: AbortSignal.timeout(limits.hostCallTimeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if ((error as Error).name === 'TimeoutError') {
      throw new HostCallError('timeout', `HTTP ${args.method} ${url.origin} took longer than ${limits.hostCallTimeoutMs} ms`);
    }
    throw new HostCallError('host_error', `HTTP ${args.method} ${url.origin} failed${cause ? ` (${cause})` : ''}`);
  }
  const text = await readCapped(response, limits.maxHttpResponseBytes);
  return {
    status_code: response.status,
    ok: response.ok,
    url: url.toString(),
    headers: Object.fromEntries(response.headers.entries()),
    text,
  };
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new HostCallError('host_error', `HTTP response larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
