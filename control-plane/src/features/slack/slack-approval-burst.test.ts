// Approvals in Slack as a burst meets them. A step followed by due work of its own (approved → the
// grant) delays its Slack sync (`slack-lifecycle.ts` SETTLE_MS): a quick grant shows in one update
// per message, a slow one still shows "Approved" first. Clicks in one approver channel share
// `conversations.members` calls only while one is in flight: a member removed is refused at once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../jobs/testing/wait-for';
import { PEOPLE, startSlackTestbed, type SlackTestbed } from './slack-testbed';
import { SETTLE_MS } from './slack-lifecycle';

let bed: SlackTestbed;
let flowId: string;

/** Requests `flowId` through the modal; returns its approval message in #ops and its request id. */
async function request() {
  const posted = bed.slack.messagesIn('C0OPS').length;
  const res = await bed.client.submit(PEOPLE.requester, {
    callback_id: 'sym_request',
    private_metadata: JSON.stringify({ flow: flowId, channel: '' }),
    values: { 'field:duration': { value: { type: 'plain_text_input', value: '1h' } } },
  });
  assert.equal(res.response.status, 200, JSON.stringify(res.response.body));
  const message = await waitFor('the approval message in #ops', () => bed.slack.messagesIn('C0OPS')[posted]);
  const requestId = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(message.blocks))![1]!;
  return { message, requestId };
}

before(async () => {
  bed = await startSlackTestbed();
  flowId = await bed.create('entities/flows', {
    name: 'ops-access',
    implementation: `import { slack } from 'sym/sdk';\nexport function get_approvers(event) { return [slack.channel('#ops')]; }\n`,
    environment_id: bed.environmentId,
    params: { strategy_id: bed.strategyId, prompt_field: [{ name: 'duration', type: 'duration', required: true }] },
  });
});
after(() => bed?.close());

describe('Slack: the sync of a step with due work of its own waits for that work', () => {
  it('a quick grant: the approval message goes from pending to granted in one update', async () => {
    const { message, requestId } = await request();
    await bed.client.click(PEOPLE.mgr1, { action_id: 'sym_approve', value: requestId }, { channel: message.channel, ts: message.ts });
    await waitFor('the message to show the grant', () => message.text.includes('Access granted'));
    assert.deepEqual(
      message.history.map((h) => /Waiting for approval|Approved|Access granted/.exec(h.text)?.[0]),
      ['Waiting for approval', 'Access granted'],
    );
    // Who approved is still said, on the grant.
    assert.match(message.text, new RegExp(`Access granted until .*; approved by ${PEOPLE.mgr1.email.replace(/\./g, '\\.')}`));
  });

  it(`a slow grant: "Approved" shows once the step has waited ${SETTLE_MS} ms, then the grant`, async () => {
    const { message, requestId } = await request();
    const release = bed.holdStrategy();
    try {
      const clicked = performance.now();
      await bed.client.click(PEOPLE.mgr1, { action_id: 'sym_approve', value: requestId }, { channel: message.channel, ts: message.ts });
      await waitFor('the message to show the approval', () => message.text.includes('Approved'), 10_000);
      assert.ok(performance.now() - clicked >= SETTLE_MS - 50, 'not before the settle time');
      assert.equal((await bed.requestOf(requestId)).state, 'approved');
    } finally {
      release();
    }
    await waitFor('the message to show the grant', () => message.text.includes('Access granted'));
    assert.deepEqual(
      message.history.map((h) => /Waiting for approval|Approved|Access granted/.exec(h.text)?.[0]),
      ['Waiting for approval', 'Approved', 'Access granted'],
    );
  });
});

describe('Slack: a burst of clicks in one approver channel', () => {
  it('all are approved; once the approver leaves the channel, their next click is refused', async () => {
    const made = [await request(), await request(), await request(), await request()];
    const burst = made.slice(0, 3);
    await Promise.all(burst.map(({ message, requestId }) => bed.client.click(PEOPLE.mgr1, { action_id: 'sym_approve', value: requestId }, { channel: message.channel, ts: message.ts })));
    for (const { requestId } of burst) await bed.waitState(requestId, 'active');
    const ops = bed.slack.channels.get('C0OPS')!;
    ops.members = ops.members.filter((id) => id !== PEOPLE.mgr1.id);
    const last = made[3]!;
    await bed.client.click(PEOPLE.mgr1, { action_id: 'sym_approve', value: last.requestId }, { channel: last.message.channel, ts: last.message.ts });
    // Slack refuses an ephemeral to someone outside the channel: the refusal comes as a DM.
    await bed.dmMessage(PEOPLE.mgr1.id, (m) => /not an approver/.test(m.text));
    assert.equal((await bed.requestOf(last.requestId)).state, 'pending');
  });
});
