// The main thread's side of every door out of the sandbox. Guest arguments arrive as JSON text
// and are validated here, because anything the guest sends may be hostile.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { directoryHandlers } from './directory-calls';
import { EgressDeniedError, type EgressPolicy } from './egress-policy';
import { isHostAllowed } from './host-allowlist';
import type { JsonValue, SandboxIntegration, SymUser } from './sandbox-call';
import type { SandboxHost } from './sandbox-host';
import { awsHostCalls } from './aws-host';
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
  /** Which resolved addresses `sym/http` may connect to (the operator's setting). */
  egress: EgressPolicy;
  /** Aborted when the invocation is stopped (its wall-clock limit): pending HTTP calls end with it. */
  signal?: AbortSignal;
  /** Plan-time checks get no doors at all. */
  denyAll?: string;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Builds the function answering the guest's host calls with reply JSON (never throws). */
export function createHostDispatcher(options: HostDispatcherOptions): (op: string, args: string) => Promise<string> {
  const { host, limits, redactor } = options;
  let calls = 0;
  const handlers: Record<string, (args: unknown) => Promise<unknown>> = {
    http: (args) => performHttp(args, host.allowedHosts ?? [], limits, options.egress, options.signal),
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
    'slack.send_message': async (args) => {
      if (!host.slack) throw new HostCallError('host_denied', 'Slack is not configured for this flow');
      const { destination, text } = (args ?? {}) as { destination?: JsonValue; text?: unknown };
      if (typeof text !== 'string' || !text || destination === undefined) throw new HostCallError('host_error', 'slack.send_message needs a destination and a text');
      await host.slack.sendMessage(destination, text);
      return null;
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
    // Directory helpers (okta, google, github): directory-calls.ts.
    ...directoryHandlers(host),
    // s9-helpers-b: Sym's aws_sso / aws_iam / aws_lambda helpers (aws-host.ts).
    ...awsHostCalls(host.aws),
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
      host.onHostCall?.(op);
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

async function performHttp(raw: unknown, allowedHosts: readonly string[], limits: SandboxLimits, egress: EgressPolicy, stop?: AbortSignal) {
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
    throw new HostCallError('host_denied', `HTTP to ${url.protocol}//${url.host} is not allowed; allowed hosts: ${allowedHosts.join(', ') || '(none)'}`);
  }
  // Names are checked at connect time (egress.lookup); an IP literal never reaches a lookup.
  const literal = egress.literalRefusal(url.hostname);
  if (literal) throw new HostCallError('host_denied', literal);
  for (const [key, value] of Object.entries(args.params ?? {})) url.searchParams.append(key, String(value));
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(args.headers ?? {})) headers[key.toLowerCase()] = String(value);
  let body: string | undefined;
  if (args.json !== undefined) {
    body = JSON.stringify(args.json);
    headers['content-type'] ??= 'application/json';
  } else if (typeof args.data === 'string') {
    body = args.data;
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const timeout = AbortSignal.timeout(limits.hostCallTimeoutMs);
  const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
  const what = `HTTP ${args.method} ${url.origin}`;
  let response: { status: number; headers: Record<string, string>; text: string };
  try {
    response = await send(url, args.method, headers, body, signal, egress, limits.maxHttpResponseBytes);
  } catch (error) {
    if (error instanceof HostCallError) throw error;
    if (error instanceof EgressDeniedError) throw new HostCallError('host_denied', error.message);
    if (timeout.aborted) throw new HostCallError('timeout', `${what} took longer than ${limits.hostCallTimeoutMs} ms`);
    if (stop?.aborted) throw new HostCallError('timeout', `${what} was stopped: the invocation ran out of wall-clock time`);
    const code = (error as NodeJS.ErrnoException).code;
    throw new HostCallError('host_error', `${what} failed${code ? ` (${code})` : ''}`);
  }
  return {
    status_code: response.status,
    ok: response.status >= 200 && response.status < 300,
    url: url.toString(),
    headers: response.headers,
    text: response.text,
  };
}

/**
 * One request on a connection of its own (no keep-alive pool), whose address comes from the
 * egress policy's lookup. Redirects are not followed: that could leave the allowlist, so the
 * guest sees the 3xx instead.
 */
function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  signal: AbortSignal,
  egress: EgressPolicy,
  maxBytes: number,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let req;
    try {
      req = request(url, { method, headers, agent: false, lookup: egress.lookup, signal });
    } catch (error) {
      // Invalid header names or values from the guest.
      reject(new HostCallError('host_error', `HTTP ${method} ${url.origin} failed: ${(error as Error).message}`));
      return;
    }
    req.on('error', reject);
    req.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > maxBytes) {
          req.destroy();
          reject(new HostCallError('host_error', `HTTP response larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [key, value] of Object.entries(response.headers)) {
          if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: response.statusCode ?? 0, headers: flat, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(body);
  });
}
