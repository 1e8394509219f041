// The Express adapter on a listening app without a body parser (the adapter reads the form
// itself), against the in-memory control plane: sign-in required, the submit, Set-Cookie on the
// way to the handler, and a non-GET visit without a grant.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSymClient } from '@opensym/api-client';
import express from 'express';
import { CookieJar } from '../test-support/cookie-jar';
import { fakeControlPlane } from '../test-support/fake-control-plane';
import { requireApproval } from './express';

describe('Express adapter', () => {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const cp = fakeControlPlane({ now: () => clock });
  let base: string;
  let close: () => void;
  before(async () => {
    const app = express();
    const gate = requireApproval({
      flow: 'impersonate',
      client: createSymClient({ baseUrl: 'http://cp.test', token: 't', fetch: cp.fetch, retries: 0 }),
      secret: 'express-test-secret-express-test-secret',
      now: () => clock,
      fields: (req) => ({ user_id: req.params.id }),
      subject: (req) => (typeof req.headers['x-user'] === 'string' ? req.headers['x-user'] : undefined),
    });
    app.all('/customers/:id/impersonate', gate, (req, res) => res.send(`handler ${req.method} ${req.params.id}`));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(() => close());

  const go = async (jar: CookieJar, path: string, init: RequestInit = {}, user: string | null = 'support@example.com') => {
    const res = await fetch(`${base}${path}`, { redirect: 'manual', ...init, headers: { ...(init.headers as object), cookie: jar.header(), ...(user && { 'x-user': user }) } });
    jar.take(res.headers);
    return { status: res.status, headers: res.headers, body: await res.text() };
  };

  it('asks the app’s visitor to sign in when subject is undefined', async () => {
    const page = await go(new CookieJar(), '/customers/42/impersonate', {}, null);
    assert.equal(page.status, 401);
    assert.match(page.body, /Sign in first/);
  });

  it('reads the posted form itself, requests access, and runs the handler with the grant once approved', async () => {
    const jar = new CookieJar();
    const form = await go(jar, '/customers/42/impersonate');
    assert.equal(form.status, 403);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
    const sent = await go(jar, '/customers/42/impersonate?opensym=request', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, reason: 'ticket 9' }).toString(),
    });
    assert.equal(sent.status, 303, sent.body);
    const [request] = cp.requests.values();
    assert.deepEqual(request.fields, { reason: 'ticket 9', user_id: '42' });
    assert.equal((await go(jar, '/customers/42/impersonate', { method: 'DELETE' })).status, 403, 'no grant: other methods are refused');
    cp.set(request.id, { state: 'approved' });
    clock += 3001;
    const passed = await go(jar, '/customers/42/impersonate');
    assert.equal(passed.body, 'handler GET 42');
    assert.ok(
      passed.headers.getSetCookie().some((l) => l.startsWith('opensym_grant_impersonate=')),
      'the grant cookie is renewed with the grant’s end',
    );
    assert.equal((await go(jar, '/customers/42/impersonate', { method: 'DELETE' })).body, 'handler DELETE 42');
  });
});
