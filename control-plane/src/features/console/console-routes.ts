/**
 * The web console: server-rendered pages under /console that call the same services as the API
 * with the signed-in person's token identity, so the console never decides beyond what that token
 * may do through the API. Not part of the JSON API: no OpenAPI operations, HTML answers.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { ResourceSpec } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import { parsePageRequest } from '../../validation/paging';
import { hashToken, type AuthService } from '../auth/auth-service';
import { assertRole } from '../auth/roles';
import type { TokenIdentity } from '../auth/token-store';
import type { TokenService } from '../auth/token-service';
import type { EntityService } from '../entities/entity-service';
import type { RequestActor, RequestService } from '../requests/request-service';
import { requestStates } from '@opensym/schemas';
import type { UserService } from '../users/user-service';
import { errorPage, flowsPage, requestPage, requestsPage, signInLinkPage, signInPage, tokensPage, usersPage, type Notice, type Viewer } from './console-pages';
import { cookiesOf, newPreSession, PRE_SESSION_COOKIE, SESSION_COOKIE, SESSION_TTL_MS, type SessionKeys } from './console-session';
import { consoleStyle } from './console-style';
import { SIGN_IN_LINK_TTL_MS, type SignInLinks } from './sign-in-link-store';
import type { Html } from './html';

/** What the console calls: the API's services, and the token lookup behind sessions. */
export interface ConsoleDeps {
  auth: Pick<AuthService, 'authenticate'>;
  /** The identity of a token by its hash (a session names its token by hash only); null when it is gone. */
  identityByTokenHash(tokenHash: string): Promise<TokenIdentity | null>;
  keys: SessionKeys;
  specs: readonly ResourceSpec[];
  entities: EntityService;
  users: UserService;
  tokens: TokenService;
  requests: RequestService;
  /** One-time sign-in links (in the database). */
  links: SignInLinks;
  now?: () => number;
}

// No script at all, styles and images only from here, forms only back here, never framed.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const one = (v: unknown): string | undefined => {
  const s = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
};

const send = (res: Response, status: number, page: Html) => res.status(status).type('html').send(page.text);

/** Signed in: the token's identity, what the header shows, and the session cookie. */
interface Session {
  identity: TokenIdentity;
  /** The hash of the token the session signed in with (the issuer of a sign-in link). */
  tokenHash: string;
  viewer: Viewer;
  cookie: string;
}

const actorOf = (identity: TokenIdentity): RequestActor => ({ orgId: identity.org.id, tokenId: identity.tokenId, role: identity.role, userId: identity.userId });
const decisions = ['approve', 'deny', 'revoke'] as const;

/** The console's routes, registered with their full `/console/...` paths; mount at the root. */
export function consoleRoutes(deps: ConsoleDeps): Router {
  const { keys } = deps;
  const now = deps.now ?? Date.now;
  const { links } = deps;
  const router = express.Router();
  const flowSpec = deps.specs.find((s) => s.kind === 'flows' && !s.composite);

  router.use('/console', (_req, res, next) => {
    res.set({
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      // Pages show requests and, once, a new token: nothing is kept by caches or the back button's store.
      'Cache-Control': 'no-store',
    });
    next();
  });
  router.use('/console', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }));

  const cookieOptions = (req: Request) => ({ httpOnly: true, sameSite: 'strict' as const, path: '/console', secure: req.secure });

  const sessionOf = async (req: Request): Promise<Session | null> => {
    const cookie = cookiesOf(req.headers.cookie)[SESSION_COOKIE];
    const hash = keys.open(cookie, now());
    const identity = hash ? await deps.identityByTokenHash(hash) : null;
    if (!identity || !cookie) return null;
    const self = identity.userId ? await deps.users.self(identity).catch(() => null) : null;
    return { identity, cookie, tokenHash: hash!, viewer: { label: self?.email ?? 'a bot token', role: identity.role, csrf: keys.csrf(cookie, 'session') } };
  };

  /** A signed-in page: redirect to sign-in without a session; POSTs need the session's CSRF token; refusals render with their status. */
  const page =
    (handler: (req: Request, res: Response, s: Session) => Promise<unknown>, { post = false } = {}) =>
    async (req: Request, res: Response) => {
      const s = await sessionOf(req);
      if (!s) return res.redirect(303, '/console/sign-in');
      if (post && !keys.checkCsrf(s.cookie, 'session', (req.body as Record<string, unknown> | undefined)?._csrf)) {
        return send(res, 403, errorPage({ viewer: s.viewer, title: 'Refused', detail: 'The form did not come from this console session (CSRF check failed). Reload the page and try again.' }));
      }
      if (post && Object.values((req.body ?? {}) as Record<string, unknown>).some((v) => typeof v === 'string' && v.includes('\u0000'))) {
        return send(res, 422, errorPage({ viewer: s.viewer, title: 'Refused', detail: 'The form contains a NUL character.' }));
      }
      try {
        await handler(req, res, s);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        send(res, err.status, errorPage({ viewer: s.viewer, title: err.status === 404 ? 'Not found' : 'Refused', detail: err.detail }));
      }
    };

  router.get('/console/style.css', (_req, res) => {
    res.type('css').send(consoleStyle);
  });

  router.get('/console', (_req, res) => res.redirect(303, '/console/requests'));

  /** The CSRF token of a form shown before sign-in, setting the pre-session cookie it is derived from. */
  const preCsrf = (req: Request, res: Response) => {
    let pre = cookiesOf(req.headers.cookie)[PRE_SESSION_COOKIE];
    if (!pre || !/^[\w-]{24}$/.test(pre)) {
      pre = newPreSession();
      res.cookie(PRE_SESSION_COOKIE, pre, { ...cookieOptions(req), maxAge: 3600_000 });
    }
    return keys.csrf(pre, 'pre');
  };
  const signIn = (req: Request, res: Response, status: number, notice?: Notice) => send(res, status, signInPage({ csrf: preCsrf(req, res), notice }));
  const startSession = (req: Request, res: Response, tokenHash: string) => {
    res.cookie(SESSION_COOKIE, keys.seal(tokenHash, now()), { ...cookieOptions(req), maxAge: SESSION_TTL_MS });
    res.clearCookie(PRE_SESSION_COOKIE, cookieOptions(req));
    res.redirect(303, '/console/requests');
  };

  router.get('/console/sign-in', async (req, res) => {
    if (await sessionOf(req)) return res.redirect(303, '/console/requests');
    signIn(req, res, 200);
  });

  router.post('/console/sign-in', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!keys.checkCsrf(cookiesOf(req.headers.cookie)[PRE_SESSION_COOKIE], 'pre', body._csrf)) {
      return signIn(req, res, 403, { kind: 'error', text: 'The sign-in form expired or did not come from this console (CSRF check failed). Please try again.' });
    }
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    try {
      await deps.auth.authenticate(token || undefined);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return signIn(req, res, 401, { kind: 'error', text: err.detail });
    }
    startSession(req, res, hashToken(token));
  });

  const linkGone = (res: Response) => send(res, 410, errorPage({ title: 'Link used or expired', detail: 'This sign-in link was already used or has expired. Ask an admin for a new one.' }));
  /** The admin who issued a link, still an admin of the link's organization; null otherwise. */
  const issuerOf = async (link: { orgId: string; issuerTokenHash: string }) => {
    const issuer = await deps.identityByTokenHash(link.issuerTokenHash);
    return issuer && issuer.role === 'admin' && issuer.org.id === link.orgId ? issuer : null;
  };

  router.get('/console/link/:code', async (req, res) => {
    const link = await links.peek(String(req.params.code), now());
    const issuer = link && (await issuerOf(link));
    const user = issuer && (await deps.users.get(issuer, link.userId).catch(() => null));
    if (!user) return linkGone(res);
    send(res, 200, signInLinkPage({ email: user.email, code: String(req.params.code), csrf: preCsrf(req, res) }));
  });

  router.post('/console/link/:code', async (req, res) => {
    if (!keys.checkCsrf(cookiesOf(req.headers.cookie)[PRE_SESSION_COOKIE], 'pre', (req.body as Record<string, unknown> | undefined)?._csrf)) {
      return send(res, 403, errorPage({ title: 'Refused', detail: 'The form did not come from this console (CSRF check failed). Open the link again.' }));
    }
    // Used up here, before anything else: a second try, even a concurrent one, finds nothing.
    const link = await links.redeem(String(req.params.code), now());
    const issuer = link && (await issuerOf(link));
    if (!link || !issuer) return linkGone(res);
    // The session stands on a token of its own for the user (listed under Tokens; revoking it ends the session).
    const issued = await deps.tokens.issueUserToken(issuer, link.userId, { name: 'console sign-in link' }).catch((err: unknown) => {
      if (err instanceof ApiError) return null;
      throw err;
    });
    if (!issued) return linkGone(res);
    startSession(req, res, hashToken(issued.token));
  });

  router.post(
    '/console/sign-out',
    page(
      async (req, res) => {
        res.clearCookie(SESSION_COOKIE, cookieOptions(req));
        res.redirect(303, '/console/sign-in');
      },
      { post: true },
    ),
  );

  router.get(
    '/console/requests',
    page(async (req, res, s) => {
      const filters = { state: one(req.query.state), flow: one(req.query.flow), requester: one(req.query.requester) };
      let list: Awaited<ReturnType<RequestService['list']>> = { data: [], next_page_token: null };
      let notice: Notice | undefined;
      try {
        list = await deps.requests.list(actorOf(s.identity), { ...filters, limit: 25, page_token: one(req.query.page_token) });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        notice = { kind: 'error', text: err.detail };
      }
      send(res, notice ? 422 : 200, requestsPage({ viewer: s.viewer, states: requestStates, filters, page: list, notice }));
    }),
  );

  /** The request page; `notice` and `status` carry the outcome of a refused action. */
  const showRequest = async (res: Response, s: Session, id: string, status = 200, notice?: Notice) => {
    const actor = actorOf(s.identity);
    const request = await deps.requests.get(actor, id);
    const actions = await deps.requests.actions(actor, id);
    const ids = new Set([...(request.events ?? []).map((e) => e.actor_user_id), request.decided_by].filter((x): x is string => typeof x === 'string'));
    const emails = new Map<string, string>();
    if (s.identity.role !== 'guest') {
      for (const userId of ids) {
        const user = await deps.users.get(s.identity, userId).catch(() => null);
        if (user) emails.set(userId, user.email);
      }
    }
    send(res, status, requestPage({ viewer: s.viewer, request, actions, emails, notice }));
  };

  router.get(
    '/console/requests/:id',
    page(async (req, res, s) => {
      const done = one(req.query.done);
      await showRequest(res, s, String(req.params.id), 200, done && /^(approved|denied|revoked)$/.test(done) ? { kind: 'ok', text: `Request ${done}.` } : undefined);
    }),
  );

  for (const action of decisions) {
    router.post(
      `/console/requests/:id/${action}`,
      page(
        async (req, res, s) => {
          const id = String(req.params.id);
          const reason = one((req.body as Record<string, unknown>).reason);
          try {
            await deps.requests[action](actorOf(s.identity), id, reason !== undefined ? { reason } : {});
          } catch (err) {
            // The API's refusal, shown on the request's page with the API's status; nothing changed.
            if (!(err instanceof ApiError) || err.status === 404) throw err;
            return showRequest(res, s, id, err.status, { kind: 'error', text: err.detail });
          }
          res.redirect(303, `/console/requests/${encodeURIComponent(id)}?done=${{ approve: 'approved', deny: 'denied', revoke: 'revoked' }[action]}`);
        },
        { post: true },
      ),
    );
  }

  router.get(
    '/console/flows',
    page(async (req, res, s) => {
      // Guests may not read entities through the API either.
      assertRole(s.identity, ['admin', 'member'], 'read flows');
      if (!flowSpec) throw new Error('no flows resource spec');
      const list = await deps.entities.list({ orgId: s.identity.org.id, tokenId: s.identity.tokenId, userId: s.identity.userId }, flowSpec, {}, parsePageRequest(req.query, { defaultLimit: 25 }));
      send(res, 200, flowsPage({ viewer: s.viewer, flows: list.data, next: list.next_page_token }));
    }),
  );

  router.get(
    '/console/users',
    page(async (req, res, s) => {
      assertRole(s.identity, ['admin'], 'manage users in the console');
      const list = await deps.users.list(s.identity, {}, parsePageRequest(req.query, { defaultLimit: 50 }));
      send(res, 200, usersPage({ viewer: s.viewer, users: list.data, next: list.next_page_token }));
    }),
  );

  router.post(
    '/console/users/:id/sign-in-link',
    page(
      async (req, res, s) => {
        assertRole(s.identity, ['admin'], 'issue sign-in links');
        const user = await deps.users.get(s.identity, String(req.params.id));
        const code = await links.issue({ orgId: s.identity.org.id, userId: user.id, issuerTokenHash: s.tokenHash }, now());
        const list = await deps.users.list(s.identity, {}, { limit: 50 });
        const url = `${req.protocol}://${req.get('host')}/console/link/${code}`;
        send(res, 201, usersPage({ viewer: s.viewer, users: list.data, next: list.next_page_token, link: { email: user.email, url, minutes: SIGN_IN_LINK_TTL_MS / 60_000 } }));
      },
      { post: true },
    ),
  );

  const showTokens = async (req: Request, res: Response, s: Session, status: number, extra: { issued?: { name: string; token: string }; notice?: Notice } = {}) => {
    const list = await deps.tokens.list(s.identity, {}, parsePageRequest(req.method === 'GET' ? req.query : {}, { defaultLimit: 50 }));
    const users = await deps.users.list(s.identity, {}, { limit: 200 });
    send(res, status, tokensPage({ viewer: s.viewer, tokens: list.data, users: users.data, next: list.next_page_token, ...extra }));
  };

  router.get(
    '/console/tokens',
    page(async (req, res, s) => {
      assertRole(s.identity, ['admin'], 'manage tokens in the console');
      await showTokens(req, res, s, 200, one(req.query.revoked) === '1' ? { notice: { kind: 'ok', text: 'Token revoked.' } } : {});
    }),
  );

  router.post(
    '/console/tokens',
    page(
      async (req, res, s) => {
        assertRole(s.identity, ['admin'], 'issue tokens');
        const body = req.body as Record<string, unknown>;
        const name = one(body.name);
        const userId = one(body.user_id);
        const role = one(body.role) ?? 'member';
        if (name !== undefined && name.length > 200) throw new ApiError('validation_failed', 'The name may have at most 200 characters.');
        if (userId === undefined && name === undefined) throw new ApiError('validation_failed', 'A bot token needs a name.');
        if (role !== 'admin' && role !== 'member' && role !== 'guest') throw new ApiError('validation_failed', 'The role must be admin, member or guest.');
        const issued =
          userId !== undefined ? await deps.tokens.issueUserToken(s.identity, userId, name !== undefined ? { name } : {}) : await deps.tokens.issueBotToken(s.identity, { name: name!, role });
        await showTokens(req, res, s, 201, { issued: { name: issued.name, token: issued.token } });
      },
      { post: true },
    ),
  );

  router.post(
    '/console/tokens/:id/revoke',
    page(
      async (req, res, s) => {
        await deps.tokens.revoke(s.identity, String(req.params.id));
        res.redirect(303, '/console/tokens?revoked=1');
      },
      { post: true },
    ),
  );

  // Anything else under /console is an HTML 404, not the API's problem+json.
  router.use('/console', (_req, res) => send(res, 404, errorPage({ title: 'Not found', detail: 'There is no such console page.' })));
  return router;
}
