// The gate through the Web Fetch adapter against an in-memory control plane: the form, CSRF,
// the API's field errors, waiting, approval behind the re-check cache, forged and replayed
// cookies, every end state, field binding, failing closed, and grants kept in a session.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { beforeEach, describe, it } from 'node:test';
import { createSymClient } from '@opensym/api-client';
import { withApproval } from './adapters/fetch';
import { createApprovalGate } from './approval-gate';
import { sessionGrants, type GrantStore } from './grant-store';
import { CookieJar } from './test-support/cookie-jar';
import { fakeControlPlane, type FakeControlPlane } from './test-support/fake-control-plane';

const SECRET = 'unit-test-secret-unit-test-secret-0123';
const ORIGIN = 'http://app.test';

interface Ctx {
  user: string;
  session?: Record<string, unknown>;
}

describe('approval gate (Web Fetch adapter, in-memory control plane)', () => {
  let clock: number;
  let cp: FakeControlPlane;
  let handled: string[];
  let route: (request: Request, context: Ctx) => Promise<Response>;
  const make = (options: { strategy?: boolean; grants?: GrantStore; eventsHoldMs?: number; cacheTtlMs?: number } = {}) => {
    cp = fakeControlPlane({ strategy: options.strategy, now: () => clock });
    const client = createSymClient({ baseUrl: 'http://cp.test', token: 'sym_test', fetch: cp.fetch, retries: 0 });
    route = withApproval<Ctx>(
      {
        flow: 'impersonate',
        client,
        secret: SECRET,
        now: () => clock,
        grants: options.grants,
        eventsHoldMs: options.eventsHoldMs ?? 0,
        cacheTtlMs: options.cacheTtlMs,
        fields: (request) => ({ user_id: new URL(request.url).pathname.split('/')[2] }),
        subject: (_request, ctx) => ctx.user,
      },
      async (request) => {
        handled.push(new URL(request.url).pathname);
        return new Response('impersonating', { status: 200 });
      },
    );
  };
  beforeEach(() => {
    clock = Date.parse('2026-01-01T00:00:00Z');
    handled = [];
    make();
  });

  /** One page load with the jar's cookies. */
  const visit = async (jar: CookieJar, path: string, init: RequestInit = {}, ctx: Ctx = { user: 'support@example.com' }) => {
    const res = await route(new Request(`${ORIGIN}${path}`, { ...init, headers: { ...(init.headers as object), cookie: jar.header() } }), ctx);
    jar.take(res.headers);
    return { status: res.status, headers: res.headers, body: await res.text() };
  };
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
  const submit = async (jar: CookieJar, path: string, fields: Record<string, string>, ctx?: Ctx) => {
    const page = await visit(jar, path, {}, ctx);
    const body = new URLSearchParams({ _csrf: csrfOf(page.body), ...fields });
    return visit(jar, `${path}?opensym=request`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, ctx);
  };
  const requestAndApprove = async (jar: CookieJar) => {
    const sent = await submit(jar, '/customers/42/impersonate', { reason: 'ticket 7' });
    assert.equal(sent.status, 303);
    const [id] = cp.requests.keys();
    cp.set(id, { state: 'approved', pending_until: null });
    clock += 3001;
    return id;
  };

  it('shows the flow’s form with the fixed field, a CSRF token and a strict CSP, and runs nothing', async () => {
    const page = await visit(new CookieJar(), '/customers/42/impersonate');
    assert.equal(page.status, 403);
    assert.match(page.body, /<label for="field-reason">Reason<\/label>/);
    assert.match(page.body, /<dt>Customer<\/dt><dd>42<\/dd>/);
    assert.match(page.body, /action="\/customers\/42\/impersonate\?opensym=request"/);
    assert.doesNotMatch(page.body, /<script/);
    assert.match(page.headers.get('content-security-policy')!, /default-src 'none'/);
    assert.deepEqual(handled, []);
  });

  describe('live status (server-sent events, with the meta refresh kept for pages without script)', () => {
    it('the waiting page listens to its event stream with the one script its CSP allows by hash; the refresh is in <noscript>', async () => {
      const jar = new CookieJar();
      await submit(jar, '/customers/42/impersonate', { reason: 'ticket 7' });
      const page = await visit(jar, '/customers/42/impersonate');
      assert.match(page.body, /<noscript><meta http-equiv="refresh" content="3"><\/noscript>/);
      assert.match(page.body, /<main data-events="\/customers\/42\/impersonate\?opensym=events&amp;seen=pending" data-refresh="3">/);
      const scripts = [...page.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
      assert.equal(scripts.length, 1);
      assert.match(scripts[0]!, /new EventSource/);
      const hash = createHash('sha256').update(scripts[0]!).digest('base64');
      const csp = page.headers.get('content-security-policy')!;
      assert.match(csp, new RegExp(`script-src 'sha256-${hash.replace(/[+/]/g, '\\$&')}';`));
      assert.match(csp, /connect-src 'self'/);
    });

    it('answers the stream with a comment while nothing changed, and `change` with the new state once it did', async () => {
      const jar = new CookieJar();
      await submit(jar, '/customers/42/impersonate', { reason: 'ticket 7' });
      const waiting = await visit(jar, '/customers/42/impersonate?opensym=events&seen=pending');
      assert.equal(waiting.status, 200);
      assert.equal(waiting.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(waiting.body, 'retry: 1000\n: no change yet\n\n');
      const [id] = cp.requests.keys();
      cp.set(id!, { state: 'denied', reason: 'no' });
      clock += 3001;
      assert.equal((await visit(jar, '/customers/42/impersonate?opensym=events&seen=pending')).body, 'retry: 1000\nevent: change\ndata: denied\n\n');
      assert.equal((await visit(new CookieJar(), '/customers/42/impersonate?opensym=events&seen=pending')).body, 'retry: 1000\nevent: change\ndata: none\n\n', 'no grant: the form');
      assert.deepEqual(handled, [], 'the stream never runs the handler');
    });

    it('holds the stream open until the request is approved, then tells the page', async () => {
      make({ eventsHoldMs: 60_000, cacheTtlMs: 1 });
      const jar = new CookieJar();
      await submit(jar, '/customers/42/impersonate', { reason: 'ticket 7' });
      const [id] = cp.requests.keys();
      const reads = () => cp.calls.filter((c) => c === `GET /api/v1/requests/${id}`).length;
      clock += 2;
      const held = visit(jar, '/customers/42/impersonate?opensym=events&seen=pending');
      // The held request has read the request (pending) once; only then is it approved.
      while (reads() < 1) await new Promise((resolve) => setImmediate(resolve));
      cp.set(id!, { state: 'approved', pending_until: null });
      clock += 2;
      assert.equal((await held).body, 'retry: 1000\nevent: change\ndata: granted\n\n');
      assert.equal(reads(), 2, 'answered on the read after the approval');
    });
  });

  it('refuses a submit without the page’s CSRF token, or with another visitor’s', async () => {
    const jar = new CookieJar();
    const missing = await visit(jar, '/customers/42/impersonate?opensym=request', { method: 'POST', body: 'reason=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(missing.status, 403);
    assert.match(missing.body, /This form has expired/);
    const other = new CookieJar();
    const otherToken = csrfOf((await visit(other, '/customers/42/impersonate', {}, { user: 'mallory@example.com' })).body);
    await visit(jar, '/customers/42/impersonate');
    const stolen = await visit(jar, '/customers/42/impersonate?opensym=request', { method: 'POST', body: new URLSearchParams({ _csrf: otherToken, reason: 'x' }) });
    assert.equal(stolen.status, 403);
    assert.equal(cp.requests.size, 0);
  });

  it('shows the API’s 422 field errors inline, keeps what was typed, and focuses the field', async () => {
    const page = await submit(new CookieJar(), '/customers/42/impersonate', { reason: '' });
    assert.equal(page.status, 422);
    assert.match(page.body, /<span class="field-error" id="field-reason-error">is required<\/span>/);
    assert.match(page.body, /id="field-reason" name="reason" required aria-required="true" aria-invalid="true" aria-describedby="field-reason-error" autofocus/);
    assert.match(page.body, /<a href="#field-reason">Reason: is required<\/a>/);
  });

  it('requests access as the visitor, then shows who was asked with a meta refresh', async () => {
    const jar = new CookieJar();
    const sent = await submit(jar, '/customers/42/impersonate', { reason: 'ticket 7', user_id: '666' });
    assert.equal(sent.status, 303);
    assert.equal(sent.headers.get('location'), '/customers/42/impersonate');
    const [request] = cp.requests.values();
    assert.equal(request.requester.email, 'support@example.com');
    assert.deepEqual(request.fields, { reason: 'ticket 7', user_id: '42' }, 'the app’s fixed value wins over a posted one');
    assert.ok(jar.lines.some((l) => /^opensym_grant_impersonate=.*; HttpOnly; SameSite=Lax$/.test(l)));
    const waiting = await visit(jar, '/customers/42/impersonate');
    assert.match(waiting.body, /<meta http-equiv="refresh" content="3">/);
    assert.match(waiting.body, /Asked: the Slack channel #impersonations\./);
  });

  it('passes once approved, after the cached state runs out, and re-checks at most once per TTL', async () => {
    const jar = new CookieJar();
    await submit(jar, '/customers/42/impersonate', { reason: 'ticket 7' });
    const [id] = cp.requests.keys();
    cp.set(id, { state: 'approved' });
    const cached = await visit(jar, '/customers/42/impersonate');
    assert.match(cached.body, /Waiting for approval/, 'within the cache TTL the last state holds');
    clock += 3001;
    assert.equal((await visit(jar, '/customers/42/impersonate')).body, 'impersonating');
    const reads = cp.calls.filter((c) => c === `GET /api/v1/requests/${id}`).length;
    await visit(jar, '/customers/42/impersonate');
    assert.equal(cp.calls.filter((c) => c === `GET /api/v1/requests/${id}`).length, reads);
    assert.deepEqual(handled, ['/customers/42/impersonate', '/customers/42/impersonate']);
  });

  it('refuses a forged grant cookie and deletes it', async () => {
    const jar = new CookieJar();
    await requestAndApprove(jar);
    const real = jar.cookies.get('opensym_grant_impersonate')!;
    const [payload, sig] = decodeURIComponent(real).split('.');
    const value = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...value, e: value.e + 86_400_000 })).toString('base64url');
    jar.cookies.set('opensym_grant_impersonate', encodeURIComponent(`${forged}.${sig}`));
    const page = await visit(jar, '/customers/42/impersonate');
    assert.equal(page.status, 403);
    assert.match(page.body, /not issued by this app/);
    assert.equal(jar.cookies.has('opensym_grant_impersonate'), false);
    assert.deepEqual(handled, []);
  });

  it('refuses another visitor’s grant cookie replayed in their browser', async () => {
    const jar = new CookieJar();
    await requestAndApprove(jar);
    const thief = new CookieJar();
    thief.cookies.set('opensym_grant_impersonate', jar.cookies.get('opensym_grant_impersonate')!);
    const page = await visit(thief, '/customers/42/impersonate', {}, { user: 'mallory@example.com' });
    assert.equal(page.status, 403);
    assert.match(page.body, /belongs to someone else/);
    assert.deepEqual(handled, []);
  });

  it('does not let a grant for customer 42 open customer 43', async () => {
    const jar = new CookieJar();
    await requestAndApprove(jar);
    const page = await visit(jar, '/customers/43/impersonate');
    assert.equal(page.status, 403);
    assert.match(page.body, /<dd>43<\/dd>/);
    assert.equal((await visit(jar, '/customers/42/impersonate')).status, 200, 'the grant for 42 is kept');
  });

  it('asks again when the grant’s time is up, and refuses the replayed cookie', async () => {
    const jar = new CookieJar();
    await requestAndApprove(jar);
    assert.equal((await visit(jar, '/customers/42/impersonate')).status, 200);
    const cookie = jar.cookies.get('opensym_grant_impersonate')!;
    clock += 3600_000;
    const after = await visit(jar, '/customers/42/impersonate');
    assert.equal(after.status, 403);
    assert.match(after.body, /Your approval has expired/);
    jar.cookies.set('opensym_grant_impersonate', cookie);
    assert.equal((await visit(jar, '/customers/42/impersonate')).status, 403);
  });

  it('asks again once access is revoked (the control plane’s state wins over the cookie)', async () => {
    const jar = new CookieJar();
    make({ strategy: true });
    await submit(jar, '/customers/42/impersonate', { reason: 'ticket 7' });
    const [id] = cp.requests.keys();
    cp.set(id, { state: 'approved' });
    clock += 3001;
    assert.match((await visit(jar, '/customers/42/impersonate')).body, /Approved: granting access/);
    cp.set(id, { state: 'active', active_until: new Date(clock + 3600_000).toISOString() });
    clock += 3001;
    assert.equal((await visit(jar, '/customers/42/impersonate')).status, 200);
    cp.set(id, { state: 'deescalating', reason: 'revoked' });
    clock += 3001;
    const page = await visit(jar, '/customers/42/impersonate');
    assert.equal(page.status, 403);
    assert.match(page.body, /Access ended/);
    assert.match(page.body, /Ask again/);
  });

  for (const [state, text] of [
    ['denied', /Request denied[\s\S]*The decision: not today/],
    ['expired', /Request expired[\s\S]*Ask again/],
    ['ignored', /Request not taken/],
    ['failed', /Access could not be granted/],
  ] as const) {
    it(`shows a ${state} request with a form to ask again`, async () => {
      const jar = new CookieJar();
      await submit(jar, '/customers/42/impersonate', { reason: 'ticket 7' });
      const [id] = cp.requests.keys();
      cp.set(id, { state, reason: 'not today' });
      clock += 3001;
      const page = await visit(jar, '/customers/42/impersonate');
      assert.equal(page.status, 403);
      assert.match(page.body, text);
      assert.match(page.body, /<button type="submit">Ask again<\/button>/);
      assert.doesNotMatch(page.body, /http-equiv="refresh"/);
    });
  }

  it('fails closed when the control plane cannot be reached', async () => {
    const jar = new CookieJar();
    await requestAndApprove(jar);
    cp.down = true;
    const page = await visit(jar, '/customers/42/impersonate');
    assert.equal(page.status, 503);
    assert.deepEqual(handled, []);
  });

  it('keeps grants in the app’s session with sessionGrants() (the core, as an adapter drives it)', async () => {
    const gate = createApprovalGate({
      flow: 'impersonate',
      client: createSymClient({ baseUrl: 'http://cp.test', token: 't', fetch: cp.fetch }),
      secret: SECRET,
      now: () => clock,
      grants: sessionGrants(),
    });
    const session: Record<string, unknown> = {};
    let cookies = '';
    const go = async (method: string, url: string, form = new URLSearchParams(), subject = 'support@example.com', s = session) => {
      const out = await gate.handle({ method, url, cookieHeader: cookies, secure: false, subject, fields: { user_id: '42' }, session: s, readForm: async () => form });
      // Only the CSRF nonce travels as a cookie in session mode.
      for (const line of out.setCookies) cookies = line.split(';')[0];
      return out;
    };
    const form = await go('GET', '/customers/42/impersonate');
    assert.equal(form.kind, 'respond');
    const token = /name="_csrf" value="([^"]+)"/.exec((form as { body: string }).body)![1];
    const sent = await go('POST', '/customers/42/impersonate?opensym=request', new URLSearchParams({ _csrf: token, reason: 'ticket 7' }));
    assert.equal(sent.kind === 'respond' && sent.status, 303);
    assert.ok(!sent.setCookies.some((l) => l.startsWith('opensym_grant_')), 'no grant cookie in session mode');
    const [id] = cp.requests.keys();
    assert.equal((session.opensymGrants as Record<string, { requestId: string }>).impersonate.requestId, id);
    cp.set(id, { state: 'approved' });
    clock += 3001;
    assert.equal((await go('GET', '/customers/42/impersonate')).kind, 'pass');
    assert.equal((await go('GET', '/customers/42/impersonate', undefined, 'mallory@example.com', { ...session })).kind, 'respond', 'a copied session for another visitor is refused');
  });
});

describe('approval gate: redirects stay on the site', () => {
  it('answers a submit to a path that normalizes to //host with a local Location', async () => {
    const cp = fakeControlPlane();
    const gate = createApprovalGate({ flow: 'impersonate', client: createSymClient({ baseUrl: 'http://cp.test', token: 't', fetch: cp.fetch }), secret: SECRET });
    let cookies = '';
    const visit = { secure: false, subject: 'support@example.com', fields: { user_id: '42' } };
    const form = await gate.handle({ ...visit, method: 'GET', url: '/.//evil.example/x', cookieHeader: '', readForm: async () => new URLSearchParams() });
    cookies = form.setCookies.map((l) => l.split(';')[0]).join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec((form as { body: string }).body)![1];
    assert.match((form as { body: string }).body, /action="\/evil\.example\/x\?opensym=request"/);
    const sent = await gate.handle({
      ...visit,
      method: 'POST',
      url: '/.//evil.example/x?opensym=request',
      cookieHeader: cookies,
      readForm: async () => new URLSearchParams({ _csrf: token, reason: 'r' }),
    });
    assert.equal(sent.kind === 'respond' && sent.headers.location, '/evil.example/x');
  });
});
