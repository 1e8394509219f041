// The seed's get_approver in the sandbox, with the real PagerDuty client behind it and the
// PagerDuty double behind that: the whole path a hook's `pagerduty.on_call` takes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSandbox } from '../../sandbox/create-sandbox';
import { startPagerDutyDouble, type PagerDutyDouble } from '../../test-support/pagerduty-double';
import { createPagerDutyClient } from './pagerduty-client';

const IMPL = `import { slack, pagerduty } from 'sym/sdk/integrations';
export function get_approver(event) {
  if (event.payload.fields.is_assigned) return slack.user(event.user);
  const on_call_mgrs = pagerduty.on_call({ schedule: 'id_of_mgr_on_call' });
  return on_call_mgrs.map((x) => slack.user(x));
}
export async function get_permissions(event) {
  return { allow_self: await pagerduty.is_on_call(event.user, { schedule: 'id_of_mgr_on_call' }) };
}
`;

let pd: PagerDutyDouble;
const sandbox = createSandbox();

before(async () => {
  pd = await startPagerDutyDouble({
    token: 'pd-token-in-secret',
    users: [
      { id: 'PMGR1', name: 'Manager One', email: 'manager1@example.com' },
      { id: 'PMGR2', name: 'Manager Two', email: 'manager2@example.com' },
    ],
    oncalls: [
      { userId: 'PMGR1', escalationPolicyId: 'EP', scheduleId: 'id_of_mgr_on_call' },
      { userId: 'PMGR2', escalationPolicyId: 'EP', scheduleId: 'id_of_mgr_on_call', escalationLevel: 2 },
    ],
  });
});
after(async () => {
  await sandbox.close();
  await pd?.close();
});

const client = (token: string) =>
  createPagerDutyClient({
    baseUrl: pd.url,
    readSecret: async () => token,
    findUsersByEmail: async (emails) => [{ id: 'u-m2', email: 'manager2@example.com', identities: { slack: 'U0M2' } }].filter((u) => emails.includes(u.email)),
  });
const event = (user: Record<string, unknown>, fields: Record<string, unknown>) => ({ type: 'request', user, payload: { fields } }) as never;

describe('PagerDuty client behind the sandbox', () => {
  it('routes to the on-call managers PagerDuty reports, with their OpenSym identities', async () => {
    const result = await sandbox.run({
      source: IMPL,
      call: { kind: 'hook', name: 'get_approver', event: event({ id: 'u-req', email: 'req@example.com' }, { is_assigned: false }) },
      host: { pagerduty: client(pd.token) },
    });
    assert.deepEqual(result.value, [
      { type: 'slack.user', email: 'manager1@example.com' },
      { type: 'slack.user', user_id: 'u-m2', email: 'manager2@example.com', slack_id: 'U0M2' },
    ]);
  });

  it('answers is_on_call for the requester', async () => {
    const host = { pagerduty: client(pd.token) };
    const onCall = await sandbox.run({ source: IMPL, call: { kind: 'hook', name: 'get_permissions', event: event({ email: 'manager1@example.com' }, {}) }, host });
    assert.deepEqual(onCall.value, { allow_self: true });
    const offCall = await sandbox.run({ source: IMPL, call: { kind: 'hook', name: 'get_permissions', event: event({ email: 'req@example.com' }, {}) }, host });
    assert.deepEqual(offCall.value, { allow_self: false });
  });

  it('surfaces a PagerDuty failure to the hook as an error without the token', async () => {
    await assert.rejects(
      sandbox.run({
        source: IMPL,
        call: { kind: 'hook', name: 'get_approver', event: event({ email: 'req@example.com' }, { is_assigned: false }) },
        host: { pagerduty: client('a-wrong-token-789') },
      }),
      (error: Error) => {
        assert.match(error.message, /PagerDuty answered 401/);
        assert.ok(!error.message.includes('a-wrong-token-789'));
        return true;
      },
    );
  });
});
