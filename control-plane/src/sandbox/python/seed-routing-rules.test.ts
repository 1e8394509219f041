// The seed's routing rules (shared/seeds/routing-rules.md), in Python exactly as the guide writes
// them, run by the sandbox's Python engine.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createSandbox } from '../create-sandbox';
import type { SymEvent, SymUser } from '../sandbox-call';
import type { PagerDutyHost } from '../sandbox-host';
import { ROUTING_RULES_IMPL_PY } from '../../test-support/python-seeds';

const requester: SymUser = { id: 'u-req', email: 'requester@example.com' };

function requestEvent(fields: Record<string, string | boolean>): SymEvent {
  return { type: 'request', user: requester, payload: { fields } };
}

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

describe('seed routing rules (impl.py) in the Python sandbox', () => {
  const sandbox = createSandbox();
  after(() => sandbox.close());

  it('auto-approves a free-plan request in on_request', async () => {
    const result = await sandbox.run({
      source: ROUTING_RULES_IMPL_PY,
      filename: 'impl.py',
      call: { kind: 'hook', name: 'on_request', event: requestEvent({ customer_plan: 'free', is_assigned: false }) },
    });
    assert.deepEqual(result.value, { type: 'approval.approve' });
  });

  it('returns nothing from on_request for a paid plan (language found from the code alone)', async () => {
    const result = await sandbox.run({ source: ROUTING_RULES_IMPL_PY, call: { kind: 'hook', name: 'on_request', event: requestEvent({ customer_plan: 'pro', is_assigned: false }) } });
    assert.equal(result.value, undefined);
  });

  it('lets an assigned requester self-approve through slack.user', async () => {
    const result = await sandbox.run({
      source: ROUTING_RULES_IMPL_PY,
      filename: 'impl.py',
      call: { kind: 'hook', name: 'get_approver', event: requestEvent({ customer_plan: 'pro', is_assigned: true }) },
    });
    assert.deepEqual(result.value, { type: 'slack.user', user_id: 'u-req', email: 'requester@example.com' });
  });

  it('routes everyone else to the on-call managers from PagerDuty', async () => {
    const pagerduty = pagerDutyDouble([
      { id: 'm1', email: 'mgr1@example.com' },
      { email: 'mgr2@example.com', identities: { slack: 'U2' } },
    ]);
    const result = await sandbox.run({
      source: ROUTING_RULES_IMPL_PY,
      filename: 'impl.py',
      call: { kind: 'hook', name: 'get_approver', event: requestEvent({ customer_plan: 'pro', is_assigned: false }) },
      host: { pagerduty },
    });
    assert.deepEqual(pagerduty.asked, ['id_of_mgr_on_call']);
    assert.deepEqual(result.value, [
      { type: 'slack.user', user_id: 'm1', email: 'mgr1@example.com' },
      { type: 'slack.user', email: 'mgr2@example.com', slack_id: 'U2' },
    ]);
  });
});
