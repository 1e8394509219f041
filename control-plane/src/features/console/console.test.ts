// The web console on the real app over PGlite: sign-in, sessions and CSRF, decisions with the
// API's rules (a non-approver's approve or revoke is refused and nothing changes), admin-only
// pages, and no secret on any page. The job queue runs, with a strategy double that grants at
// once, so a request of the granting flow becomes `active` and can be revoked.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../jobs/testing/wait-for';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import type { StrategyRegistry } from '../strategies/access-strategy';

let t: TestControlPlane;
/** Grants and takes back access at once, counting take-backs (a revoke runs one). */
const grants = { deescalations: 0 };
const strategies: StrategyRegistry = {
  runnerFor: () => ({
    escalate: async () => ({}),
    deescalate: async () => {
      grants.deescalations++;
      return {};
    },
  }),
};
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function create(path: string, body: object): Promise<string> {
  const res = await t.request.post(`/api/v1/${path}`).set(bearer(t.admin)).send(body);
  assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function person(email: string, role = 'member'): Promise<{ id: string; token: string }> {
  const id = await create('users', { email, role });
  const issued = await t.request.post(`/api/v1/users/${id}/tokens`).set(bearer(t.admin)).send({});
  assert.equal(issued.status, 201);
  return { id, token: issued.body.token };
}

const setCookies = (res: { headers: Record<string, unknown> }) => ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
const cookieValue = (res: { headers: Record<string, unknown> }, name: string) =>
  setCookies(res)
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];
const csrfIn = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1];

/** A signed-in browser, as far as the server can tell: its cookie and the CSRF token of its pages. */
interface Browser {
  cookie: string;
  csrf: string;
  get(path: string): Promise<{ status: number; text: string; headers: Record<string, string> }>;
  post(path: string, form: Record<string, string>): Promise<{ status: number; text: string; headers: Record<string, string> }>;
}

async function signIn(token: string): Promise<Browser> {
  const form = await t.request.get('/console/sign-in');
  assert.equal(form.status, 200);
  const pre = cookieValue(form, 'sym_console_pre')!;
  const res = await t.request
    .post('/console/sign-in')
    .set('Cookie', pre)
    .type('form')
    .send({ _csrf: csrfIn(form.text)!, token });
  assert.equal(res.status, 303, res.text);
  assert.equal(res.headers.location, '/console/requests');
  const cookie = cookieValue(res, 'sym_console')!;
  const get = async (path: string) => t.request.get(path).set('Cookie', cookie);
  const page = await get('/console/requests');
  return { cookie, csrf: csrfIn(page.text)!, get, post: async (path, body) => t.request.post(path).set('Cookie', cookie).type('form').send(body) };
}

let lead: { id: string; token: string };
let support: { id: string; token: string };
let colleague: { id: string; token: string };

const ask = async (reason: string) => {
  const res = await t.request.post('/api/v1/events/request').set(bearer(support.token)).send({ flow: 'console-demo', flow_inputs: { reason } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
};
const apiView = async (id: string) => (await t.request.get(`/api/v1/requests/${id}`).set(bearer(t.admin))).body as { state: string; events: { type: string; actor_user_id: string | null }[] };

before(async () => {
  t = await startTestControlPlane(undefined, { workflow: { strategies, jobs: { pollIntervalMs: 50 } }, startJobs: true });
  const env = await create('entities/environments', { name: 'console' });
  const leadApproves = "import { slack } from 'sym/sdk';\nexport function get_approvers(event) { return slack.user('lead@example.com'); }\n";
  await create('entities/flows', {
    name: 'console-demo',
    implementation: leadApproves,
    environment_id: env,
    params: { prompt_field: [{ name: 'reason', type: 'string', required: true }] },
  });
  const target = await create('entities/access-targets', { type: 'custom', name: 'db' });
  const strategy = await create('entities/access-strategies', {
    type: 'custom',
    name: 'console-db',
    targets: [target],
    implementation: `import { AccessStrategy } from "sym/sdk/strategies";\nexport class S extends AccessStrategy {\n  fetch_remote_identity(user) { return user.email; }\n  escalate(target_id, event) {}\n  deescalate(target_id, event) {}\n}\n`,
  });
  await create('entities/flows', {
    name: 'console-grant',
    implementation: leadApproves,
    environment_id: env,
    params: { strategy_id: strategy, prompt_field: [{ name: 'duration', type: 'duration', required: true }] },
  });
  lead = await person('lead@example.com');
  support = await person('support@example.com');
  colleague = await person('colleague@example.com');
});
after(async () => {
  await t?.close();
});

describe('console sign-in and sessions', () => {
  it('sends people without a session to the sign-in page, which has a labelled field and a strict CSP', async () => {
    const res = await t.request.get('/console/requests');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/console/sign-in');
    const form = await t.request.get('/console/sign-in');
    assert.match(form.headers['content-type']!, /text\/html/);
    assert.match(form.text, /<label for="token">API token<\/label>/);
    assert.match(form.headers['content-security-policy']!, /default-src 'none'/);
    assert.doesNotMatch(form.headers['content-security-policy']!, /script-src|unsafe/);
    assert.equal(form.headers['cache-control'], 'no-store');
  });

  it('signs in with a token: an httpOnly, SameSite=Strict cookie that holds neither the token nor its hash in clear', async () => {
    const form = await t.request.get('/console/sign-in');
    const res = await t.request
      .post('/console/sign-in')
      .set('Cookie', cookieValue(form, 'sym_console_pre')!)
      .type('form')
      .send({ _csrf: csrfIn(form.text)!, token: lead.token });
    assert.equal(res.status, 303);
    const cookie = setCookies(res).find((c) => c.startsWith('sym_console='))!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\/console/);
    assert.ok(!cookie.includes(lead.token));
    const page = await t.request.get('/console/requests').set('Cookie', cookie.split(';')[0]!);
    assert.equal(page.status, 200);
    assert.match(page.text, /Signed in as lead@example\.com \(member\)/);
  });

  it('refuses a wrong token with the API’s reason and sets no session', async () => {
    const form = await t.request.get('/console/sign-in');
    const res = await t.request
      .post('/console/sign-in')
      .set('Cookie', cookieValue(form, 'sym_console_pre')!)
      .type('form')
      .send({ _csrf: csrfIn(form.text)!, token: 'sym_nope' });
    assert.equal(res.status, 401);
    assert.match(res.text, /role="alert"[^>]*>The API token is not valid\./);
    assert.equal(cookieValue(res, 'sym_console'), undefined);
  });

  it('refuses a sign-in form without its CSRF token (login CSRF)', async () => {
    const form = await t.request.get('/console/sign-in');
    const res = await t.request.post('/console/sign-in').set('Cookie', cookieValue(form, 'sym_console_pre')!).type('form').send({ token: lead.token });
    assert.equal(res.status, 403);
    assert.equal(cookieValue(res, 'sym_console'), undefined);
  });

  it('a tampered session cookie is no session', async () => {
    const b = await signIn(lead.token);
    const [name, value] = b.cookie.split('=');
    const tampered = `${name}=${value!.slice(0, -2)}${value!.endsWith('AA') ? 'BB' : 'AA'}`;
    assert.equal((await t.request.get('/console/requests').set('Cookie', tampered)).status, 303);
  });

  it('revoking the token ends its console session', async () => {
    const temp = await person('temp@example.com');
    const b = await signIn(temp.token);
    const tokens = await t.request.get(`/api/v1/tokens?user_id=${temp.id}`).set(bearer(t.admin));
    await t.request.delete(`/api/v1/tokens/${tokens.body.data[0].id}`).set(bearer(t.admin)).expect(204);
    assert.equal((await b.get('/console/requests')).status, 303);
  });
});

describe('console decisions follow the API’s rules', () => {
  it('lists requests with filters and shows the approver an Approve button; approving records it in the timeline', async () => {
    const id = await ask('ticket 1 <script>alert(1)</script>');
    const b = await signIn(lead.token);
    const list = await b.get('/console/requests?state=pending&flow=console-demo&requester=support%40example.com');
    assert.match(list.text, new RegExp(`href="/console/requests/${id}"`));
    assert.doesNotMatch((await b.get('/console/requests?state=approved')).text, new RegExp(id));
    const page = await b.get(`/console/requests/${id}`);
    assert.match(page.text, /<button type="submit" class="approve">Approve<\/button>/);
    assert.ok(!page.text.includes('<script>alert(1)</script>'), 'field values are escaped');
    assert.ok(page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    const res = await b.post(`/console/requests/${id}/approve`, { _csrf: b.csrf, reason: 'ok for ticket 1' });
    assert.equal(res.status, 303, res.text);
    assert.equal((await apiView(id)).state, 'approved');
    const after = await b.get(res.headers.location!);
    assert.match(after.text, /<dd id="state"><span class="state state-approved">approved<\/span>/);
    assert.match(after.text, /request\.approved<\/span> <time[^>]*>[^<]*<\/time> by lead@example\.com: <q>ok for ticket 1<\/q>/);
    assert.doesNotMatch(after.text, /class="approve"/, 'nothing left to approve');
  });

  it('shows a non-approver no Approve button and refuses a forged approve with the API’s reason; nothing changes', async () => {
    const id = await ask('ticket 2');
    const b = await signIn(colleague.token);
    const page = await b.get(`/console/requests/${id}`);
    assert.doesNotMatch(page.text, /class="approve"/);
    assert.match(page.text, /You have no action on this request\./);
    const before = await apiView(id);
    const res = await b.post(`/console/requests/${id}/approve`, { _csrf: b.csrf });
    assert.equal(res.status, 403);
    const api = await t.request.post(`/api/v1/requests/${id}/approve`).set(bearer(colleague.token)).send({});
    assert.equal(api.status, 403);
    assert.ok(res.text.includes(api.body.detail.replaceAll('"', '&quot;').replaceAll("'", '&#39;')), 'the page shows the API’s reason');
    assert.deepEqual(await apiView(id), before);
  });

  it('denies with a message shown in the timeline; the requester filter leaves out other people’s requests', async () => {
    const id = await ask('ticket 2');
    const b = await signIn(lead.token);
    assert.match((await b.get('/console/requests?requester=support%40example.com')).text, new RegExp(`href="/console/requests/${id}"`));
    assert.doesNotMatch((await b.get('/console/requests?requester=colleague%40example.com')).text, new RegExp(id));
    const res = await b.post(`/console/requests/${id}/deny`, { _csrf: b.csrf, reason: 'not for this ticket' });
    assert.equal(res.status, 303, res.text);
    assert.equal((await apiView(id)).state, 'denied');
    const after = await b.get(res.headers.location!);
    assert.match(after.text, /<dd id="state"><span class="state state-denied">denied<\/span>/);
    assert.match(after.text, /request\.denied<\/span> <time[^>]*>[^<]*<\/time> by lead@example\.com: <q>not for this ticket<\/q>/);
    assert.doesNotMatch(after.text, /class="(approve|deny)"/, 'nothing left to decide');
  });

  it('the requester sees Withdraw, not Approve', async () => {
    const id = await ask('ticket 3');
    const page = await (await signIn(support.token)).get(`/console/requests/${id}`);
    assert.doesNotMatch(page.text, /class="approve"/);
    assert.match(page.text, /class="deny">Withdraw</);
  });

  it('refuses a decision without the session’s CSRF token, or with another session’s; nothing changes', async () => {
    const id = await ask('ticket 4');
    const b = await signIn(lead.token);
    const other = await signIn(colleague.token);
    assert.equal((await b.post(`/console/requests/${id}/approve`, {})).status, 403);
    assert.equal((await b.post(`/console/requests/${id}/approve`, { _csrf: other.csrf })).status, 403);
    assert.equal((await apiView(id)).state, 'pending');
    // A cross-site form carries no cookie (SameSite=Strict): it meets the sign-in redirect.
    assert.equal((await t.request.post(`/console/requests/${id}/approve`).type('form').send({ _csrf: b.csrf })).status, 303);
    assert.equal((await apiView(id)).state, 'pending');
  });
});

describe('console revoke', () => {
  /** A request of the granting flow by support, approved by the lead through the API, once active. */
  const activeGrant = async () => {
    const res = await t.request
      .post('/api/v1/events/request')
      .set(bearer(support.token))
      .send({ flow: 'console-grant', flow_inputs: { duration: '1h', target: 'db' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const id = res.body.id as string;
    const ok = await t.request.post(`/api/v1/requests/${id}/approve`).set(bearer(lead.token)).send({});
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    await waitFor('the grant to become active', async () => (await apiView(id)).state === 'active');
    return id;
  };

  it('an approver revokes an active request from its page: the access is taken back and the timeline says who and why', async () => {
    const id = await activeGrant();
    const b = await signIn(lead.token);
    const page = await b.get(`/console/requests/${id}`);
    assert.match(page.text, /<button type="submit" class="revoke">Revoke<\/button>/);
    const before = grants.deescalations;
    const res = await b.post(`/console/requests/${id}/revoke`, { _csrf: b.csrf, reason: 'ticket closed' });
    assert.equal(res.status, 303, res.text);
    assert.equal(res.headers.location, `/console/requests/${id}?done=revoked`);
    const done = await waitFor('revoked access to be taken back', async () => {
      const view = await apiView(id);
      return view.state === 'done' ? view : null;
    });
    assert.ok(
      done.events.some((e) => e.type === 'request.revoked' && e.actor_user_id === lead.id),
      JSON.stringify(done.events),
    );
    assert.equal(grants.deescalations, before + 1, 'the strategy took the access back once');
    const after = await b.get(res.headers.location!);
    assert.match(after.text, /Request revoked\./);
    assert.match(after.text, /request\.revoked<\/span> <time[^>]*>[^<]*<\/time> by lead@example\.com: <q>ticket closed<\/q>/);
    assert.doesNotMatch(after.text, /class="revoke"/, 'nothing left to revoke');
  });

  it('shows a non-approver no Revoke button and refuses a forged revoke with the API’s reason; the access stays', async () => {
    const id = await activeGrant();
    const b = await signIn(colleague.token);
    const page = await b.get(`/console/requests/${id}`);
    assert.doesNotMatch(page.text, /class="revoke"/);
    const before = await apiView(id);
    const res = await b.post(`/console/requests/${id}/revoke`, { _csrf: b.csrf });
    assert.equal(res.status, 403, res.text);
    const api = await t.request.post(`/api/v1/requests/${id}/revoke`).set(bearer(colleague.token)).send({});
    assert.equal(api.status, 403);
    assert.ok(res.text.includes(api.body.detail.replaceAll('"', '&quot;').replaceAll("'", '&#39;')), 'the page shows the API’s reason');
    assert.deepEqual(await apiView(id), before);
  });
});

describe('console pages for admins, and secrets', () => {
  it('refuses users and tokens pages, and issuing tokens, to members', async () => {
    const b = await signIn(lead.token);
    assert.equal((await b.get('/console/users')).status, 403);
    assert.equal((await b.get('/console/tokens')).status, 403);
    const before = (await t.request.get('/api/v1/tokens').set(bearer(t.admin))).body.data.length;
    assert.equal((await b.post('/console/tokens', { _csrf: b.csrf, name: 'sneaky', role: 'admin' })).status, 403);
    assert.equal((await t.request.get('/api/v1/tokens').set(bearer(t.admin))).body.data.length, before);
    assert.doesNotMatch((await b.get('/console/requests')).text, /href="\/console\/tokens"/, 'no admin links for members');
  });

  it('shows a new token once to an admin; the tokens page never shows secrets or hashes', async () => {
    const b = await signIn(t.admin);
    assert.match((await b.get('/console/users')).text, /lead@example\.com/);
    const issued = await b.post('/console/tokens', { _csrf: b.csrf, name: 'ci bot', role: 'member' });
    assert.equal(issued.status, 201);
    const secret = /id="issued-token" readonly value="(sym_[^"]+)"/.exec(issued.text)?.[1];
    assert.ok(secret, 'the new token is shown');
    assert.equal((await t.request.get('/api/v1/whoami').set(bearer(secret))).status, 200);
    const list = await b.get('/console/tokens');
    assert.match(list.text, /ci bot/);
    for (const s of [secret, t.admin, lead.token, support.token]) assert.ok(!list.text.includes(s), 'no token value on the page');
    assert.doesNotMatch(list.text, /[0-9a-f]{64}/, 'no token hash on the page');
  });

  it('lists flows with their implementation and version, and revokes a token from the tokens page', async () => {
    const b = await signIn(t.admin);
    // A changed flow, so that its version (the last change) is not its creation time.
    const created = ((await t.request.get('/api/v1/entities/flows').set(bearer(t.admin))).body.data as { id: string; name: string }[]).find((f) => f.name === 'console-demo')!;
    const patched = await t.request.patch(`/api/v1/entities/flows/${created.id}`).set(bearer(t.admin)).send({ label: 'Console demo' });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const flow = patched.body as { id: string; created_at: string; updated_at: string };
    assert.notEqual(flow.updated_at, flow.created_at);
    const flows = await b.get('/console/flows');
    assert.match(flows.text, /<h2 id="flow-[^"]+">console-demo<\/h2>/);
    assert.match(flows.text, /slack\.user\(&#39;lead@example\.com&#39;\)/);
    // The version is the flow's last change, the same string a request of it records as `flow.version`.
    const request = (await t.request.get(`/api/v1/requests/${await ask('which version')}`).set(bearer(t.admin))).body as { flow: { version: string } };
    assert.equal(request.flow.version, flow.updated_at);
    const section = new RegExp(`<h2 id="flow-${flow.id}">console-demo</h2>\\s*<dl class="facts">[\\s\\S]*?<dt>Version</dt>\\s*<dd><time datetime="([^"]+)">([^<]+)</time></dd>`).exec(flows.text);
    assert.ok(section, 'the flow shows its version');
    assert.equal(section[1], flow.updated_at);
    assert.equal(section[2], flow.updated_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'));
    const victim = await person('victim@example.com');
    const tokens = (await t.request.get(`/api/v1/tokens?user_id=${victim.id}`).set(bearer(t.admin))).body.data;
    const res = await b.post(`/console/tokens/${tokens[0].id}/revoke`, { _csrf: b.csrf });
    assert.equal(res.status, 303);
    assert.equal((await t.request.get('/api/v1/whoami').set(bearer(victim.token))).status, 401);
  });
});

describe('one-time sign-in links', () => {
  const issueLink = async (admin: Browser, userId: string) => {
    const res = await admin.post(`/console/users/${userId}/sign-in-link`, { _csrf: admin.csrf });
    assert.equal(res.status, 201, res.text);
    return new URL(/id="link-url" readonly value="([^"]+)"/.exec(res.text)![1]!).pathname;
  };
  const openLink = async (path: string) => {
    const page = await t.request.get(path);
    return { page, pre: cookieValue(page, 'sym_console_pre'), csrf: csrfIn(page.text) };
  };

  it('an admin issues a link for a user; it signs that user in once', async () => {
    const admin = await signIn(t.admin);
    const path = await issueLink(admin, support.id);
    const { page, pre, csrf } = await openLink(path);
    assert.equal(page.status, 200);
    assert.match(page.text, /Sign in as support@example\.com/);
    // Without the form's CSRF token the link is refused and not used up.
    assert.equal((await t.request.post(path).set('Cookie', pre!).type('form').send({})).status, 403);
    const res = await t.request.post(path).set('Cookie', pre!).type('form').send({ _csrf: csrf! });
    assert.equal(res.status, 303, res.text);
    const cookie = cookieValue(res, 'sym_console')!;
    assert.match((await t.request.get('/console/requests').set('Cookie', cookie)).text, /Signed in as support@example\.com \(member\)/);
    const again = await t.request.post(path).set('Cookie', pre!).type('form').send({ _csrf: csrf! });
    assert.equal(again.status, 410);
    assert.equal(cookieValue(again, 'sym_console'), undefined);
    assert.equal((await t.request.get(path)).status, 410);
  });

  it('members may not issue links, and a link dies with its issuer’s admin token', async () => {
    const member = await signIn(lead.token);
    assert.equal((await member.post(`/console/users/${support.id}/sign-in-link`, { _csrf: member.csrf })).status, 403);
    const tempAdmin = await person('temp-admin@example.com', 'admin');
    const admin = await signIn(tempAdmin.token);
    const path = await issueLink(admin, support.id);
    const tokens = await t.request.get(`/api/v1/tokens?user_id=${tempAdmin.id}`).set(bearer(t.admin));
    await t.request.delete(`/api/v1/tokens/${tokens.body.data[0].id}`).set(bearer(t.admin)).expect(204);
    const { pre, csrf } = await openLink(path);
    assert.equal(csrf, undefined, 'no sign-in form for a dead link');
    const form = await t.request.get('/console/sign-in');
    const res = await t.request
      .post(path)
      .set('Cookie', cookieValue(form, 'sym_console_pre') ?? pre ?? '')
      .type('form')
      .send({ _csrf: csrfIn(form.text)! });
    assert.equal(res.status, 410);
  });
});
