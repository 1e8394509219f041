// What a guest token may do through the API: request access on flows that allow guests and
// follow its own requests. Configuration, people, tokens and the audit trail are closed (403).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { entityResources } from '@opensym/schemas';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';

let t: TestControlPlane;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const ids = { guestFlow: '', memberFlow: '', environment: '' };
const guest = { id: '', token: '' };
const member = { id: '', token: '' };
let guestBot = '';

async function created(path: string, body: object, token = t.admin): Promise<{ id: string; token?: string }> {
  const res = await t.request.post(`/api/v1/${path}`).set(bearer(token)).send(body);
  assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function person(email: string, role: string) {
  const { id } = await created('users', { email, role });
  return { id, token: (await created(`users/${id}/tokens`, {})).token! };
}

function isForbidden(res: { status: number; headers: Record<string, string>; body: { code?: string; detail?: string } }, what: string) {
  assert.equal(res.status, 403, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/, what);
  assert.equal(res.body.code, 'forbidden', what);
  assert.match(res.body.detail ?? '', /guest token may not use \/(entities|users|tokens|audit): guests may only request access/, what);
}

before(async () => {
  t = await startTestControlPlane();
  ids.environment = (await created('entities/environments', { name: 'guests' })).id;
  const flow = (name: string, params: object) => created('entities/flows', { name, implementation: 'export function on_request(event) {}\n', environment_id: ids.environment, params });
  ids.guestFlow = (await flow('open-to-guests', { allow_guest_interaction: true })).id;
  ids.memberFlow = (await flow('members-only', {})).id;
  Object.assign(guest, await person('guest@example.com', 'guest'));
  Object.assign(member, await person('member@example.com', 'member'));
  guestBot = (await created('tokens', { name: 'guest-bot', role: 'guest' })).token!;
});
after(async () => {
  await t?.close();
});

describe('guest tokens', () => {
  it('may not read any entity kind, users, tokens or the audit trail (403 problem+json)', async () => {
    const paths = [
      ...entityResources().map((spec) => `/entities/${spec.kind}`),
      `/entities/flows/${ids.guestFlow}`,
      `/entities/environments/${ids.environment}`,
      '/entities/flows?slug=open-to-guests',
      '/entities/no-such-kind',
      '/users',
      `/users/${member.id}`,
      `/users/${guest.id}`,
      '/tokens',
      `/tokens?user_id=${guest.id}`,
      '/audit',
      `/audit?actor=${guest.id}`,
      // Express matches case-insensitively and tolerates doubled slashes; so must the check.
      '/ENTITIES/flows',
      '//entities/flows',
      '/Users',
      '/AUDIT/',
    ];
    for (const token of [guest.token, guestBot]) {
      for (const path of paths) isForbidden(await t.request.get(`/api/v1${path}`).set(bearer(token)), `GET ${path}`);
      // Writes get the same answer (not the admin-only one), and nothing changes.
      isForbidden(
        await t.request
          .patch(`/api/v1/entities/flows/${ids.memberFlow}`)
          .set(bearer(token))
          .send({ params: { allow_guest_interaction: true } }),
        'PATCH flow',
      );
      isForbidden(await t.request.post('/api/v1/tokens').set(bearer(token)).send({ name: 'x', role: 'admin' }), 'POST /tokens');
    }
    const users = await t.request.get(`/api/v1/users/${guest.id}`).set(bearer(guest.token));
    assert.match(users.body.detail, /GET \/api\/v1\/whoami shows its own user/);
    const flow = await t.request.get(`/api/v1/entities/flows/${ids.memberFlow}`).set(bearer(t.admin));
    assert.notEqual(flow.body.params?.allow_guest_interaction, true);
  });

  it('leaves reading to members and admins', async () => {
    for (const token of [member.token, t.member, t.admin]) {
      assert.equal((await t.request.get('/api/v1/entities/flows').set(bearer(token))).status, 200);
      assert.equal((await t.request.get(`/api/v1/entities/flows/${ids.guestFlow}`).set(bearer(token))).status, 200);
      assert.equal((await t.request.get(`/api/v1/users/${guest.id}`).set(bearer(token))).status, 200);
      assert.equal((await t.request.get('/api/v1/audit').set(bearer(token))).status, 200);
    }
  });

  it('may see itself with whoami and request access where the flow allows guests', async () => {
    const who = await t.request.get('/api/v1/whoami').set(bearer(guest.token));
    assert.equal(who.status, 200);
    assert.deepEqual([who.body.token.role, who.body.user.id], ['guest', guest.id]);

    const made = await t.request.post('/api/v1/events/request').set(bearer(guest.token)).send({ flow: 'open-to-guests', flow_inputs: {} });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.requester.id, guest.id);
    const refused = await t.request.post('/api/v1/events/request').set(bearer(guest.token)).send({ flow: 'members-only', flow_inputs: {} });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'forbidden');
    assert.match(refused.body.detail, /does not allow guests/);
  });

  it('lists and reads only its own requests', async () => {
    const own = await t.request.post('/api/v1/events/request').set(bearer(guest.token)).send({ flow: ids.guestFlow, flow_inputs: {} });
    assert.equal(own.status, 201, JSON.stringify(own.body));
    const others = await Promise.all(['open-to-guests', 'members-only'].map((flow) => t.request.post('/api/v1/events/request').set(bearer(member.token)).send({ flow, flow_inputs: {} })));
    for (const r of others) assert.equal(r.status, 201, JSON.stringify(r.body));

    const everyone = await t.request.get('/api/v1/requests?limit=200').set(bearer(t.admin));
    assert.ok(
      everyone.body.data.some((r: { requester: { id: string } }) => r.requester.id === member.id),
      "the member's requests exist",
    );
    const listed = await t.request.get('/api/v1/requests?limit=200').set(bearer(guest.token));
    assert.equal(listed.status, 200);
    assert.ok(listed.body.data.length >= 1);
    assert.ok(
      listed.body.data.every((r: { requester: { id: string } }) => r.requester.id === guest.id),
      "only the guest's own requests",
    );
    assert.ok(listed.body.data.some((r: { id: string }) => r.id === own.body.id));
    for (const query of [`requester=${member.id}`, 'requester=member@example.com', 'flow=members-only']) {
      const filtered = await t.request.get(`/api/v1/requests?${query}`).set(bearer(guest.token));
      assert.deepEqual(filtered.body.data, [], query);
    }
    // Paging from another user's request answers as for a request that does not exist.
    const unknown = await t.request.get('/api/v1/requests?page_token=00000000-0000-4000-8000-000000000000').set(bearer(guest.token));
    for (const r of others) {
      const paged = await t.request.get(`/api/v1/requests?page_token=${r.body.id}`).set(bearer(guest.token));
      assert.equal(paged.status, unknown.status, "another user's request id is not confirmed through page_token");
      assert.deepEqual(paged.body.errors, unknown.body.errors);
    }
    assert.equal((await t.request.get(`/api/v1/requests?page_token=${own.body.id}`).set(bearer(guest.token))).status, 200);
    // A guest bot token acts for no user, so it has no requests to see.
    assert.deepEqual((await t.request.get('/api/v1/requests').set(bearer(guestBot))).body.data, []);

    assert.equal((await t.request.get(`/api/v1/requests/${own.body.id}`).set(bearer(guest.token))).status, 200);
    for (const r of others) {
      const hidden = await t.request.get(`/api/v1/requests/${r.body.id}`).set(bearer(guest.token));
      assert.equal(hidden.status, 404, "another user's request does not exist for a guest");
      assert.equal(hidden.body.code, 'not_found');
    }
  });
});
