// The seed's routing rules (routing-rules.md), translated line by line to JavaScript.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createSandbox } from './create-sandbox';
import type { SymEvent, SymUser } from './sandbox-call';
import type { PagerDutyHost } from './sandbox-host';

const IMPL = `import { events } from 'sym/sdk';
import { slack, pagerduty } from 'sym/sdk/integrations';

export function on_request(event) {
  // Automatically approve requests for free tier customers
  if (event.payload.fields.customer_plan === 'free') {
    return events.approval.approve();
  }
}

export function get_approver(event) {
  // If the user is assigned to this account, then they can self-approve.
  if (event.payload.fields.is_assigned) {
    return slack.user(event.user);
  }
  // Otherwise, send the approval to the on-call managers.
  const on_call_mgrs = pagerduty.on_call({ schedule: 'id_of_mgr_on_call' });
  // This would cause each on-call manager to be DMed
  return on_call_mgrs.map((x) => slack.user(x));
}
`;

const requester: SymUser = { id: 'u-req', email: 'requester@example.com' };

function requestEvent(fields: Record<string, string | boolean>): SymEvent {
  return { type: 'request', user: requester, payload: { fields } };
}

/** A PagerDuty double recording which schedules were asked for. */
function pagerDutyDouble(managers: SymUser[]): PagerDutyHost & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    onCall: async ({ schedule }) => {
      asked.push(schedule ?? '');
      return managers;
    },
    isOnCall: (user) => managers.some((m) => m.email === user.email),
  };
}

describe('seed routing rules in the sandbox', () => {
  const sandbox = createSandbox();
  after(() => sandbox.close());

  it('auto-approves a free-plan request in on_request', async () => {
    const result = await sandbox.run({
      source: IMPL,
      call: { kind: 'hook', name: 'on_request', event: requestEvent({ customer_plan: 'free', is_assigned: false }) },
    });
    assert.deepEqual(result.value, { type: 'approval.approve' });
  });

  it('lets on_request fall through (no result) for a paid plan', async () => {
    const result = await sandbox.run({
      source: IMPL,
      call: { kind: 'hook', name: 'on_request', event: requestEvent({ customer_plan: 'enterprise', is_assigned: false }) },
    });
    assert.equal(result.value, undefined);
  });

  it('routes an assigned requester to themself via slack.user', async () => {
    const pagerduty = pagerDutyDouble([]);
    const result = await sandbox.run({
      source: IMPL,
      call: { kind: 'hook', name: 'get_approver', event: requestEvent({ customer_plan: 'enterprise', is_assigned: true }) },
      host: { pagerduty },
    });
    assert.deepEqual(result.value, { type: 'slack.user', user_id: 'u-req', email: 'requester@example.com' });
    assert.deepEqual(pagerduty.asked, [], 'PagerDuty is not consulted for assigned users');
  });

  it('otherwise routes to the on-call managers from PagerDuty', async () => {
    const pagerduty = pagerDutyDouble([
      { id: 'm1', email: 'manager1@example.com' },
      { id: 'm2', email: 'manager2@example.com', identities: { slack: 'U0M2' } },
    ]);
    const result = await sandbox.run({
      source: IMPL,
      call: { kind: 'hook', name: 'get_approver', event: requestEvent({ customer_plan: 'enterprise', is_assigned: false }) },
      host: { pagerduty },
    });
    assert.deepEqual(result.value, [
      { type: 'slack.user', user_id: 'm1', email: 'manager1@example.com' },
      { type: 'slack.user', user_id: 'm2', email: 'manager2@example.com', slack_id: 'U0M2' },
    ]);
    assert.deepEqual(pagerduty.asked, ['id_of_mgr_on_call']);
  });

  it('denies PagerDuty lookups when no PagerDuty host is configured', async () => {
    await assert.rejects(
      sandbox.run({
        source: IMPL,
        call: { kind: 'hook', name: 'get_approver', event: requestEvent({ customer_plan: 'enterprise', is_assigned: false }) },
      }),
      (error: Error & { code?: string }) => error.code === 'host_denied' && /PagerDuty is not configured/.test(error.message),
    );
  });
});
