// Where the approval message of a pending request goes, through the API on PGlite:
// get_request_notifications when exported, else the approvers; a failing reducer is recorded as
// request.hook_failed and the request still goes pending with the default.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { defaultNotifications, parseRequestNotifications } from './request-notifications';

let t: TestControlPlane;
let requesterToken: string;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

const approvers = `export function get_approvers(event) { return [slack.channel('#approvers'), slack.user('boss@example.com')]; }`;
const impls: Record<string, string> = {
  'with-reducer': `import { notifications, slack } from 'sym/sdk';
export function get_request_notifications(event) {
  return [notifications.Notification({ destinations: [slack.channel('#access'), slack.user(event.user)] })];
}
${approvers}
`,
  'approvers-only': `import { slack } from 'sym/sdk';\n${approvers}\n`,
  'no-reducers': `export function on_request(event) { return undefined; }\n`,
  throwing: `import { slack } from 'sym/sdk';
export function get_request_notifications(event) {
  throw new Error('notification lookup broke');
}
${approvers}
`,
  'wrong-shape': `import { slack } from 'sym/sdk';
export function get_request_notifications(event) { return ['#access']; }
${approvers}
`,
  'auto-approved': `import { events, notifications, slack } from 'sym/sdk';
export function on_request(event) { return events.approval.approve(); }
export function get_request_notifications(event) { throw new Error('must not run for a decided request'); }
`,
};

const defaultDestinations = [
  { type: 'slack.channel', name: '#approvers', allow_self: false },
  { type: 'slack.user', email: 'boss@example.com' },
];

before(async () => {
  t = await startTestControlPlane();
  const env = await t.request.post('/api/v1/entities/environments').set(bearer(t.admin)).send({ name: 'notify' });
  assert.equal(env.status, 201, JSON.stringify(env.body));
  for (const [name, implementation] of Object.entries(impls)) {
    const res = await t.request.post('/api/v1/entities/flows').set(bearer(t.admin)).send({ name, implementation, environment_id: env.body.id, params: {} });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  const userRes = await t.request.post('/api/v1/users').set(bearer(t.admin)).send({ email: 'req@example.com', role: 'member' });
  assert.equal(userRes.status, 201, JSON.stringify(userRes.body));
  const issued = await t.request.post(`/api/v1/users/${userRes.body.id}/tokens`).set(bearer(t.admin)).send({});
  assert.equal(issued.status, 201, JSON.stringify(issued.body));
  requesterToken = issued.body.token;
});
after(async () => {
  await t?.close();
});

/** Requests access through `flow` and returns the create response and the full request. */
async function ask(flow: string) {
  const created = await t.request.post('/api/v1/events/request').set(bearer(requesterToken)).send({ flow, flow_inputs: {} });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const full = await t.request.get(`/api/v1/requests/${created.body.id}`).set(bearer(t.admin));
  assert.equal(full.status, 200, JSON.stringify(full.body));
  return { created: created.body, full: full.body };
}

const types = (full: { events: { type: string }[] }) => full.events.map((e) => e.type);

describe('request notifications (PGlite)', () => {
  it('uses get_request_notifications when the flow exports it', async () => {
    const { created, full } = await ask('with-reducer');
    assert.equal(full.state, 'pending');
    const expected = {
      source: 'get_request_notifications',
      notifications: [
        {
          destinations: [
            { type: 'slack.channel', name: '#access', allow_self: false },
            { type: 'slack.user', user_id: created.requester.id, email: 'req@example.com' },
          ],
        },
      ],
    };
    assert.deepEqual(full.notifications, expected);
    assert.deepEqual(created.notifications, expected);
    assert.deepEqual(types(full), ['request.created']);
    assert.deepEqual(full.events[0].data.notifications, expected);
  });

  it('defaults to the approvers of get_approvers without the reducer', async () => {
    const { full } = await ask('approvers-only');
    assert.equal(full.state, 'pending');
    assert.deepEqual(full.notifications, { source: 'default', notifications: [{ destinations: defaultDestinations }] });
    assert.deepEqual(types(full), ['request.created']);
  });

  it('defaults to no named destination when the flow has neither reducer', async () => {
    const { full } = await ask('no-reducers');
    assert.deepEqual(full.notifications, { source: 'default', notifications: [{ destinations: [] }] });
    assert.deepEqual(types(full), ['request.created']);
  });

  it('records a throwing reducer as request.hook_failed, keeps the request pending and falls back to the approvers', async () => {
    const { created, full } = await ask('throwing');
    assert.equal(created.state, 'pending');
    assert.equal(full.state, 'pending');
    assert.deepEqual(types(full), ['request.created', 'request.hook_failed']);
    assert.equal(full.events[1].data.hook, 'get_request_notifications');
    assert.match(full.events[1].data.error, /notification lookup broke/);
    assert.deepEqual(full.notifications, { source: 'default', notifications: [{ destinations: defaultDestinations }] });
  });

  it('treats a result that is not a list of Notifications as a failure of the reducer', async () => {
    const { full } = await ask('wrong-shape');
    assert.equal(full.state, 'pending');
    assert.deepEqual(types(full), ['request.created', 'request.hook_failed']);
    assert.match(full.events[1].data.error, /not a Notification/);
    assert.equal(full.notifications.source, 'default');
  });

  it('resolves nothing for a request on_request already decided', async () => {
    const { created, full } = await ask('auto-approved');
    assert.equal(full.state, 'approved');
    assert.equal(created.notifications, null);
    assert.equal(full.notifications, null);
    assert.deepEqual(types(full), ['request.created', 'request.approved']);
  });
});

describe('request notification parsing', () => {
  it('accepts one Notification or a list, and rejects non-recipient destinations', () => {
    const one = { type: 'notification', destinations: [{ type: 'slack.channel', name: '#a', allow_self: false }] };
    assert.deepEqual(parseRequestNotifications(one), [{ destinations: one.destinations }]);
    assert.deepEqual(parseRequestNotifications([one, one]).length, 2);
    assert.deepEqual(parseRequestNotifications(null), []);
    assert.throws(() => parseRequestNotifications([{ destinations: ['#a'] }]), /not a Slack recipient/);
    assert.throws(() => parseRequestNotifications(['#a']), /not a Notification/);
  });

  it('turns approver results (recipients, emails, Slack IDs, users) into destinations', () => {
    assert.deepEqual(defaultNotifications([['a@example.com'], 'U1', { id: 'u9', email: 'b@example.com' }, 42]).notifications[0]!.destinations, [
      { type: 'slack.user', email: 'a@example.com' },
      { type: 'slack.user', slack_id: 'U1' },
      { type: 'slack.user', user_id: 'u9', email: 'b@example.com' },
    ]);
  });
});
