import { createSymClient, SymApiError, type AccessRequest, type SymClient } from '@opensym/api-client';
import { renderApprovalPage, type FormModel, type PageModel, type StatusModel } from './approval-page';
import { parseCookies } from './cookies';
import { checkCsrfToken, CSRF_FIELD, issueCsrfToken } from './csrf';
import { loadFlowDefinition, type FlowDefinition } from './flow-definition';
import { fieldErrorsOf, flowInputsFromForm } from './form-input';
import { cookieGrants, type GrantContext, type GrantRefusal, type GrantStore } from './grant-store';
import { grantStatus, requestMatches, type GrantStatus } from './grant-status';
import { askedRecipients } from './recipients';
import { assertSecret } from './signed-value';
import { createTtlCache } from './ttl-cache';
import { EVENT_STREAM_HEADERS, eventStreamBody, LIVE_STATUS_SCRIPT_SOURCE, pause } from './live-status';

/** Options every adapter shares. */
export interface ApprovalGateOptions {
  /** The flow's name (as in `sym_flow.name`). */
  flow: string;
  /** A client of the control plane; else one is made from `apiUrl` and `token`. */
  client?: SymClient;
  /** The control plane's URL (default `SYM_API_URL`). */
  apiUrl?: string;
  /** A bot token that may read entities and request access naming the requester (default `SYM_JWT`). */
  token?: string;
  /** Signs grant cookies and CSRF tokens, at least 32 characters (default `SYM_MIDDLEWARE_SECRET`). */
  secret?: string;
  /** Where grants are kept: a signed cookie (default) or the app's session (`sessionGrants()`). */
  grants?: GrantStore;
  /** How long a request's state read from the control plane is reused (default 3000 ms). */
  cacheTtlMs?: number;
  /** How long a flow's definition is reused (default 30 s). */
  flowCacheTtlMs?: number;
  /** Seconds between reloads of the waiting page without script (default 3). */
  refreshSeconds?: number;
  /** How long one live-status request (`?opensym=events`) is held open waiting for a change, in ms (default 20 s). */
  eventsHoldMs?: number;
  /** The clock (epoch ms); tests move it to expire grants and caches. */
  now?: () => number;
}

/** One visit of a protected URL, in framework-neutral terms (adapters build it). */
export interface GateVisit {
  method: string;
  /** Path and query as the visitor asked for them (the page posts back and returns here). */
  url: string;
  cookieHeader: string | null | undefined;
  /** The visit came over HTTPS. */
  secure: boolean;
  /** The visitor as the control plane knows them: an email address or a user id; undefined when the app has no signed-in user. */
  subject: string | undefined;
  /** Field values the app fixes for this URL (e.g. `{ user_id: '42' }`). */
  fields: Record<string, unknown>;
  /** The app's session object, for `sessionGrants()`. */
  session?: Record<string, unknown>;
  /** Reads the posted `application/x-www-form-urlencoded` body (called only for the page's own submit). */
  readForm(): Promise<URLSearchParams>;
  /** Aborts when the visitor goes away (ends a held live-status request early). */
  signal?: AbortSignal;
}

/** What the adapter does: run the app's handler (adding the cookies) or send this page. */
export type GateOutcome = { kind: 'pass'; setCookies: string[]; requestId: string } | { kind: 'respond'; status: number; headers: Record<string, string>; setCookies: string[]; body: string };

/** The query parameter that marks the approval form's own submit. */
export const ACTION_PARAM = 'opensym';

const HTML_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // The page loads nothing; its one script (live status) is allowed by hash and may only open the event stream here.
  'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src ${LIVE_STATUS_SCRIPT_SOURCE}; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** The framework-neutral core: decides each visit of a protected URL. */
export interface ApprovalGate {
  handle(visit: GateVisit): Promise<GateOutcome>;
}

/** Path and query of the visit, with or without the form's action parameter; never `//host` (a redirect must stay on this site). */
const localUrl = (url: string, action: boolean): string => {
  const parsed = new URL(url, 'http://x');
  if (action) parsed.searchParams.set(ACTION_PARAM, 'request');
  else parsed.searchParams.delete(ACTION_PARAM);
  return `${parsed.pathname.replace(/^\/+/, '/')}${parsed.search}`;
};
const withoutAction = (url: string) => localUrl(url, false);
const withAction = (url: string) => localUrl(url, true);
/** The live-status stream of a page showing `seen`. */
const eventsUrl = (url: string, seen: string) => {
  const parsed = new URL(withoutAction(url), 'http://x');
  parsed.searchParams.set(ACTION_PARAM, 'events');
  parsed.searchParams.set('seen', seen);
  return `${parsed.pathname}${parsed.search}`;
};

const REFUSAL_NOTICE: Record<GrantRefusal, string> = {
  bad_signature: 'Your approval cookie was not issued by this app, so it was discarded.',
  other_visitor: 'Your approval cookie belongs to someone else, so it was discarded.',
  other_flow: 'Your approval cookie is for another action, so it was discarded.',
  expired: 'Your approval has expired.',
};

/**
 * Creates the gate: reads the visitor's grant (cookie or session), re-checks its request with the
 * control plane (cached `cacheTtlMs`), and passes the visit while access is granted; otherwise
 * answers with the approval page (form, waiting status, decision, or "ask again").
 */
export function createApprovalGate(options: ApprovalGateOptions): ApprovalGate {
  const secret = options.secret ?? process.env.SYM_MIDDLEWARE_SECRET;
  assertSecret(secret);
  const flowName = options.flow;
  const now = options.now ?? Date.now;
  const client =
    options.client ??
    (() => {
      const baseUrl = options.apiUrl ?? process.env.SYM_API_URL;
      const token = options.token ?? process.env.SYM_JWT;
      if (!baseUrl || !token) throw new Error('@opensym/middleware needs the control plane: apiUrl and token options, or SYM_API_URL and SYM_JWT');
      return createSymClient({ baseUrl, token, timeoutMs: 10_000 });
    })();
  const grants = options.grants ?? cookieGrants(secret);
  const requests = createTtlCache<AccessRequest>(options.cacheTtlMs ?? 3000, now);
  const flows = createTtlCache<FlowDefinition>(options.flowCacheTtlMs ?? 30_000, now);
  const refreshSeconds = options.refreshSeconds ?? 3;
  const eventsHoldMs = options.eventsHoldMs ?? 20_000;
  const cacheTtlMs = options.cacheTtlMs ?? 3000;
  const flowDefinition = () => flows.get(flowName, () => loadFlowDefinition(client, flowName));

  const page = (status: number, ctx: GrantContext, model: PageModel): GateOutcome => ({ kind: 'respond', status, headers: HTML_HEADERS, setCookies: ctx.setCookies, body: renderApprovalPage(model) });
  const plain = (status: number, ctx: GrantContext, heading: string, line: string): GateOutcome =>
    page(status, ctx, { flow: { id: '', name: flowName, label: flowName, headerText: null, hasStrategy: false, fields: [] }, status: { tone: 'error', heading, lines: [line] }, checkUrl: '' });

  const formModel = (ctx: GrantContext, visit: GateVisit, subject: string, fixed: Record<string, string>, extra: Partial<FormModel> = {}): FormModel => ({
    action: withAction(visit.url),
    csrfField: CSRF_FIELD,
    csrfToken: issueCsrfToken(secret, ctx, flowName, subject),
    fixed,
    values: {},
    fieldErrors: {},
    generalErrors: [],
    submitLabel: 'Request access',
    ...extra,
  });

  /** The page for a request that does not grant access now. */
  function statusPage(
    ctx: GrantContext,
    visit: GateVisit,
    subject: string,
    fixed: Record<string, string>,
    flow: FlowDefinition,
    request: AccessRequest,
    s: Exclude<GrantStatus, { kind: 'granted' }>,
  ): GateOutcome {
    const checkUrl = withoutAction(visit.url);
    const again = (tone: StatusModel['tone'], heading: string, lines: string[]) =>
      page(403, ctx, { flow, checkUrl, status: { tone, heading, lines }, form: formModel(ctx, visit, subject, fixed, { submitLabel: 'Ask again' }) });
    switch (s.kind) {
      case 'pending': {
        const asked = askedRecipients(request.notifications);
        const who = asked.length ? `Asked: ${asked.join('; ')}.` : 'Any admin or member of your organization may approve it.';
        const until = request.pending_until ? ` It expires at ${new Date(request.pending_until).toUTCString()} unless someone decides.` : '';
        return page(403, ctx, {
          flow,
          checkUrl,
          refreshSeconds,
          eventsUrl: eventsUrl(visit.url, s.kind),
          status: { tone: 'info', heading: 'Waiting for approval', lines: [`Your request was sent.${until}`, who] },
        });
      }
      case 'granting':
        return page(403, ctx, {
          flow,
          checkUrl,
          refreshSeconds,
          eventsUrl: eventsUrl(visit.url, s.kind),
          status: { tone: 'success', heading: 'Approved: granting access', lines: ['Your request was approved. Access is being set up; this page continues on its own.'] },
        });
      case 'denied':
        return again('error', 'Request denied', [s.reason ? `The decision: ${s.reason}` : 'Your request was denied.', 'You may ask again.']);
      case 'ignored':
        return again('warning', 'Request not taken', [s.reason ?? 'The flow did not take your request.', 'You may ask again.']);
      case 'expired':
        return again('warning', 'Request expired', ['Nobody decided before your request expired. Ask again below.']);
      case 'failed':
        return again('error', 'Access could not be granted', [s.reason ? `The error: ${s.reason}` : 'Granting access failed.', 'You may ask again.']);
      case 'ended':
        return again('info', 'Access ended', ['Your access has expired or was revoked. Ask again to continue.']);
    }
  }

  /** What the visitor's page would show now, by name: a grant status kind, or `none` (no usable grant: the form). */
  async function statusKind(ctx: GrantContext, subject: string, fixed: Record<string, string>): Promise<string> {
    const read = grants.read(ctx, flowName, subject);
    if (read.kind !== 'found') return 'none';
    const id = read.record.requestId;
    const request = await requests
      .get(id, () => client.requests.get(id))
      .catch((err: unknown) => {
        if (err instanceof SymApiError && err.status === 404) return undefined;
        throw err;
      });
    if (!request || !requestMatches(request, flowName, subject, fixed)) return 'none';
    return grantStatus(request, (await flowDefinition()).hasStrategy, now()).kind;
  }

  /**
   * A live-status request: held (re-reading the request every `cacheTtlMs`) until what the page
   * shows (`seen`) is out of date or `eventsHoldMs` passes; then one event-stream answer, and
   * the browser's EventSource reconnects for the next wait.
   */
  async function liveStatus(ctx: GrantContext, visit: GateVisit, subject: string, fixed: Record<string, string>, seen: string): Promise<GateOutcome> {
    // Real time, not options.now: this is how long a connection is held, not a grant's clock.
    const holdUntil = Date.now() + eventsHoldMs;
    for (;;) {
      const kind = await statusKind(ctx, subject, fixed);
      const changed = kind !== seen;
      if (changed || Date.now() >= holdUntil || visit.signal?.aborted) {
        return { kind: 'respond', status: 200, headers: EVENT_STREAM_HEADERS, setCookies: ctx.setCookies, body: eventStreamBody(changed ? kind : null, 1000) };
      }
      await pause(Math.max(250, Math.min(cacheTtlMs, holdUntil - Date.now())), visit.signal);
    }
  }

  return {
    async handle(visit) {
      const t = now();
      const ctx: GrantContext = { cookies: parseCookies(visit.cookieHeader), setCookies: [], secure: visit.secure, session: visit.session, now: t };
      const subject = visit.subject;
      if (!subject) return plain(401, ctx, 'Sign in first', 'This action needs approval, and the app could not tell who you are.');
      const fixed = Object.fromEntries(Object.entries(visit.fields).map(([k, v]) => [k, String(v)]));
      const method = visit.method.toUpperCase();
      const action = new URL(visit.url, 'http://x').searchParams.get(ACTION_PARAM);

      try {
        const seen = new URL(visit.url, 'http://x').searchParams.get('seen');
        if ((method === 'GET' || method === 'HEAD') && action === 'events' && seen) return await liveStatus(ctx, visit, subject, fixed, seen);
        if (method === 'POST' && action === 'request') {
          const form = await visit.readForm();
          if (!checkCsrfToken(secret, ctx, flowName, subject, form.get(CSRF_FIELD))) {
            return plain(403, ctx, 'This form has expired', 'The form was not sent from this page, or it is too old. Reload the page and try again.');
          }
          const flow = await flowDefinition();
          const { inputs, values } = flowInputsFromForm(flow.fields, form, fixed);
          let created: AccessRequest;
          try {
            created = await client.requests.create({ flow: flowName, flow_inputs: inputs, ...(subject.includes('@') ? { user_email: subject } : { user_id: subject }) });
          } catch (err) {
            if (!(err instanceof SymApiError) || err.status >= 500) throw err;
            const { fieldErrors, generalErrors } = fieldErrorsOf(err.errors, err.detail ?? err.title);
            return page(err.status === 422 ? 422 : 403, ctx, { flow, checkUrl: withoutAction(visit.url), form: formModel(ctx, visit, subject, fixed, { values, fieldErrors, generalErrors }) });
          }
          requests.set(created.id, created);
          // Bound to the request's own deadline, with an hour to spare for the decision being read.
          const pendingUntil = created.pending_until ? Date.parse(created.pending_until) : t + 24 * 3600_000;
          grants.write(ctx, { requestId: created.id, visitor: subject, flow: flowName, expiresAt: Math.max(pendingUntil, t) + 3600_000 });
          return { kind: 'respond', status: 303, headers: { location: withoutAction(visit.url), 'cache-control': 'no-store' }, setCookies: ctx.setCookies, body: '' };
        }

        const read = grants.read(ctx, flowName, subject);
        let notice: string | undefined;
        if (read.kind === 'refused') notice = REFUSAL_NOTICE[read.reason];
        if (read.kind === 'found') {
          const { record } = read;
          let request: AccessRequest | undefined;
          try {
            request = await requests.get(record.requestId, () => client.requests.get(record.requestId));
          } catch (err) {
            if (!(err instanceof SymApiError) || err.status !== 404) throw err;
          }
          if (!request || !requestMatches(request, flowName, subject, fixed)) {
            // A grant for other field values (another customer) is kept for its own URL; one the control plane does not know is dropped.
            if (!request) grants.clear(ctx, flowName);
          } else {
            const flow = await flowDefinition();
            const s = grantStatus(request, flow.hasStrategy, t);
            if (s.kind === 'granted') {
              if (record.expiresAt !== s.until && Number.isFinite(s.until)) grants.write(ctx, { ...record, expiresAt: s.until });
              return { kind: 'pass', setCookies: ctx.setCookies, requestId: request.id };
            }
            if (method !== 'GET' && method !== 'HEAD') return plain(403, ctx, 'Approval needed', 'This action needs approval. Open it in your browser to request access.');
            return statusPage(ctx, visit, subject, fixed, flow, request, s);
          }
        }
        if (method !== 'GET' && method !== 'HEAD') return plain(403, ctx, 'Approval needed', 'This action needs approval. Open it in your browser to request access.');
        const flow = await flowDefinition();
        return page(403, ctx, {
          flow,
          checkUrl: withoutAction(visit.url),
          ...(notice && { status: { tone: 'warning' as const, heading: 'Approval needed', lines: [notice] } }),
          form: formModel(ctx, visit, subject, fixed),
        });
      } catch (err) {
        // Fail closed: without the control plane's word nobody passes.
        const why = err instanceof SymApiError ? `${err.status} ${err.code}` : (err as Error).name;
        return plain(503, ctx, 'Approval service unavailable', `The approval could not be checked (${why}). Try again in a moment.`);
      }
    },
  };
}
