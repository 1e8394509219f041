// `google` and Sym's `google_group` strategies through the whole request lifecycle (API, PGlite,
// job queue), with @googleapis/admin talking to the Google double: a service account key's token
// (own JWT grant, domain-wide delegation), group membership with a role granted and taken back,
// 409/404 as success, 429 and 503 retried, missing delegation and missing Groups privilege shown
// clearly on the request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startNativeLifecycle, type NativeLifecycle } from '../testing/native-lifecycle';
import { startGoogleDouble, type GoogleDouble } from './testing/google-double';

describe('google strategy in the request lifecycle (Google double, real @googleapis/admin)', () => {
  let google: GoogleDouble;
  let f: NativeLifecycle;
  let flow: string;
  let symFlow: string;
  let noPrivilegeFlow: string;
  let noDelegationFlow: string;
  let admins: string;
  let dev: { id: string; token: string };

  before(async () => {
    google = await startGoogleDouble('example.com');
    google.addGroup('admins@example.com');
    f = await startNativeLifecycle({
      SYM_GOOGLE_API_URL: google.url,
      SYM_GOOGLE_TOKEN_URL: google.tokenUrl,
      SYM_SECRET_GOOGLE_KEY: google.keyFile,
      SYM_SECRET_GOOGLE_NO_GROUPS: google.unprivilegedKeyFile,
    });
    const key = await f.secret('GOOGLE_KEY');
    const delegated = await f.create('integrations', { type: 'google', name: 'workspace', external_id: 'example.com', settings: { credentials_secret: key, admin_email: google.admin } });
    const asItself = await f.create('integrations', { type: 'google', name: 'workspace-sa', external_id: 'example.com', settings: { credentials_secret: key } });
    const noPrivilege = await f.create('integrations', { type: 'google', name: 'no-groups', external_id: 'example.com', settings: { credentials_secret: await f.secret('GOOGLE_NO_GROUPS') } });
    const noDelegation = await f.create('integrations', {
      type: 'google',
      name: 'no-delegation',
      external_id: 'example.com',
      settings: { credentials_secret: key, admin_email: 'someone@example.com' },
    });
    admins = await f.create('access-targets', { type: 'google_group', name: 'admins', settings: { group_email: 'admins@example.com', role: 'MANAGER' } });
    const strategy = async (type: string, name: string, integration: string) => f.create('access-strategies', { type, name, integration_id: integration, targets: [admins] });
    flow = await f.flow('google', await strategy('google', 'google', delegated));
    symFlow = await f.flow('google-group', await strategy('google_group', 'google-group', asItself));
    noPrivilegeFlow = await f.flow('no-privilege', await strategy('google', 'no-privilege', noPrivilege));
    noDelegationFlow = await f.flow('no-delegation', await strategy('google', 'no-delegation', noDelegation));
    dev = await f.person('dev@example.com');
  });
  after(async () => {
    await f?.close();
    await google?.close();
  });

  it("the requester joins the group with the target's role and leaves it on revoke", async () => {
    const id = await f.request(dev.token, flow, admins);
    await f.approve(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.deepEqual(google.members('admins@example.com'), { 'dev@example.com': 'MANAGER' });
    await f.revoke(id, dev.token);
    await f.drain();
    const done = await f.get(id);
    assert.equal(done.state, 'done');
    assert.deepEqual(google.members('admins@example.com'), {});
    assert.ok(
      f.lines.every((line) => !line.includes('PRIVATE KEY') && !/ya29\.[A-Za-z0-9_-]{10}/.test(line)),
      'neither the key nor the access token is logged',
    );
  });

  it("Sym's google_group type works the same; an existing member (409) and a missing one (404) are success", async () => {
    const first = await f.request(dev.token, symFlow, admins);
    await f.approve(first);
    await f.drain();
    const second = await f.request(dev.token, symFlow, admins);
    await f.approve(second);
    await f.drain();
    assert.equal((await f.get(second)).state, 'active');
    assert.ok(google.server.requests.some((r) => r.method === 'POST' && r.status === 409));
    await f.revoke(first, dev.token);
    await f.drain();
    await f.revoke(second, dev.token);
    await f.drain();
    assert.equal((await f.get(second)).state, 'done');
    assert.ok(google.server.requests.some((r) => r.method === 'DELETE' && r.status === 404));
    assert.deepEqual(google.members('admins@example.com'), {});
  });

  it('429, a 403 rateLimitExceeded and a 503 are retried on both steps', async () => {
    google.fail('POST', /\/members$/, 429, 'rateLimitExceeded');
    google.fail('POST', /\/members$/, 403, 'userRateLimitExceeded');
    google.fail('POST', /\/members$/, 503, 'backendError');
    const id = await f.request(dev.token, flow, admins);
    await f.approve(id);
    await f.drain();
    const active = await f.get(id);
    assert.equal(active.state, 'active');
    const errors = active.events.map((e) => String(e.data.error ?? '')).filter(Boolean);
    assert.equal(errors.filter((e) => /HTTP 429/.test(e)).length, 2, JSON.stringify(errors));
    assert.ok(errors.some((e) => /HTTP 503/.test(e)));
    google.fail('DELETE', /\/members\//, 429, 'rateLimitExceeded');
    google.fail('DELETE', /\/members\//, 500, 'backendError');
    await f.revoke(id, dev.token);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.deepEqual(google.members('admins@example.com'), {});
  });

  it('a service account without the Groups privilege fails the request saying so', async () => {
    const id = await f.request(dev.token, noPrivilegeFlow, admins);
    await f.approve(id);
    await f.drain();
    const failed = await f.get(id);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.last_error), /HTTP 403 \(Not Authorized to access this resource\/api \[forbidden\]\); missing permission: .*Groups privilege/);
  });

  it('an admin_email the service account is not delegated for fails the request naming domain-wide delegation', async () => {
    const id = await f.request(dev.token, noDelegationFlow, admins);
    await f.approve(id);
    await f.drain();
    const failed = await f.get(id);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.last_error), /unauthorized_client.*missing permission: .*Domain-wide delegation.*admin\.directory\.group\.member/);
  });
});
