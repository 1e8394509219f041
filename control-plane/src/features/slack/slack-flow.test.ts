// The Slack path end to end on PGlite: the seeds' routing rules through /sym, the request modal,
// approval DMs to the on-call managers (PagerDuty double), clicks, escalation, expiry; channel
// approvers, denial with a message, revoke from the DM, and signatures (Slack double, signed client).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../jobs/testing/wait-for';
import type { DoubleMessage } from '../../integrations/slack/testing/slack-api-double';
import { PEOPLE, startSlackTestbed, type SlackTestbed } from './slack-testbed';

const routingImpl = readFileSync(new URL('../../../../examples/routing-rules/impl.js', import.meta.url), 'utf8');
const channelImpl = `import { slack } from 'sym/sdk';\nexport function get_approvers(event) { return [slack.channel('#ops')]; }\n`;

let bed: SlackTestbed;

const textOf = (m: DoubleMessage) => `${m.text} ${JSON.stringify(m.blocks)}`;
const buttons = (m: DoubleMessage) =>
  JSON.stringify(m.blocks)
    .match(/"action_id":"sym_[a-z]+"/g)
    ?.map((s) => s.slice(13, -1)) ?? [];

/** `/sym req <flow>` as `user`, then submits the modal with `values` (field name → Slack state); returns the submission's answer. */
async function requestViaSlack(user: { id: string }, flow: string, values: Record<string, Record<string, unknown>>) {
  const opened = bed.slack.views.length;
  const cmd = await bed.client.command(user, `req ${flow}`);
  assert.equal(cmd.response.status, 200, JSON.stringify(cmd.response.body));
  const view = await waitFor('the request modal', () => bed.slack.views[opened]?.view);
  assert.equal(view.callback_id, 'sym_request');
  const stateValues = Object.fromEntries(Object.entries(values).map(([name, state]) => [`field:${name}`, { value: state }]));
  return bed.client.submit(user, { callback_id: 'sym_request', private_metadata: String(view.private_metadata), values: stateValues });
}

const select = (value: string) => ({ type: 'static_select', selected_option: { value, text: { type: 'plain_text', text: value } } });
const text = (value: string) => ({ type: 'plain_text_input', value });

/** Waits for a request newer than `previous` (the newest before the submission). */
async function newRequest(previous: string | undefined) {
  return waitFor('the request made from Slack', async () => {
    const latest = await bed.latestRequest();
    return latest && latest.id !== previous ? latest : null;
  });
}

before(async () => {
  bed = await startSlackTestbed();
  const duration = { name: 'duration', type: 'duration', required: true, label: 'How long?' };
  await bed.create('entities/flows', {
    name: 'impersonate',
    label: 'Impersonate a customer',
    implementation: routingImpl,
    environment_id: bed.environmentId,
    params: {
      strategy_id: bed.strategyId,
      allowed_sources: ['slack', 'api'],
      prompt_field: [
        { name: 'customer_plan', type: 'string', required: true, allowed_values: ['free', 'pro', 'enterprise'], label: 'Plan' },
        { name: 'is_assigned', type: 'bool', required: true },
        duration,
      ],
    },
  });
  await bed.create('entities/flows', { name: 'ops-access', implementation: channelImpl, environment_id: bed.environmentId, params: { strategy_id: bed.strategyId, prompt_field: [duration] } });
  await bed.create('entities/flows', { name: 'api-only', implementation: channelImpl, environment_id: bed.environmentId, params: { allowed_sources: ['api'] } });
});
after(() => bed?.close());

describe('Slack: /sym and the request modal', () => {
  it('/sym lists only the flows this user may use from Slack', async () => {
    const opened = bed.slack.views.length;
    const res = await bed.client.command(PEOPLE.requester, '');
    assert.equal(res.response.status, 200);
    const view = await waitFor('the flow picker', () => bed.slack.views[opened]?.view);
    assert.equal(view.callback_id, 'sym_pick_flow');
    const labels = JSON.stringify(view.blocks);
    assert.match(labels, /Impersonate a customer/);
    assert.match(labels, /ops-access/);
    assert.doesNotMatch(labels, /api-only/);
  });

  it('renders fields by type and answers invalid input with response_action errors, changing nothing', async () => {
    const before = (await bed.latestRequest())?.id;
    const res = await requestViaSlack(PEOPLE.requester, 'impersonate', { customer_plan: select('pro'), duration: text('soon') });
    const view = bed.slack.views.at(-1)!.view;
    const blocks = view.blocks as { block_id: string; element: { type: string }; optional?: boolean }[];
    assert.deepEqual(
      blocks.map((b) => [b.block_id, b.element.type, Boolean(b.optional)]),
      [
        // One target: preselected, and the API would pick it anyway.
        ['field:target', 'static_select', true],
        ['field:customer_plan', 'static_select', false],
        ['field:is_assigned', 'static_select', false],
        ['field:duration', 'plain_text_input', false],
      ],
    );
    assert.equal(res.response.status, 200);
    assert.equal(res.response.body.response_action, 'errors');
    assert.deepEqual(Object.keys(res.response.body.errors).sort(), ['field:duration', 'field:is_assigned']);
    assert.match(res.response.body.errors['field:duration'], /positive duration/);
    assert.equal((await bed.latestRequest())?.id, before);
  });

  it('/sym whoami creates the Slack user as a member on first use; /sym requests lists theirs', async () => {
    const who = await bed.client.command(PEOPLE.outsider, 'whoami');
    assert.equal(who.response.body.text, 'You are outsider@example.com (member) in OpenSym.');
    const help = await bed.client.command(PEOPLE.outsider, 'what');
    assert.match(help.response.body.text, /\/sym req/);
  });
});

describe('Slack: the routing rules (seed) end to end', () => {
  let requestId: string;

  it('requests through the modal; the on-call managers are DMed with Approve / Deny', async () => {
    const before = (await bed.latestRequest())?.id;
    const target = (bed.slack.views.at(-1)!.view.blocks as { block_id: string; element: { options?: { value: string }[] } }[])[0]!.element.options![0]!.value;
    const res = await requestViaSlack(PEOPLE.requester, 'impersonate', { target: select(target), customer_plan: select('pro'), is_assigned: select('false'), duration: text('3') });
    assert.deepEqual(res.response.body, { response_action: 'clear' });
    requestId = (await newRequest(before)).id;
    await bed.waitState(requestId, 'pending');
    for (const mgr of [PEOPLE.mgr1, PEOPLE.mgr2]) {
      const dm = await bed.dmMessage(mgr.id, (m) => textOf(m).includes(requestId));
      assert.deepEqual(buttons(dm), ['sym_approve', 'sym_deny']);
      assert.match(dm.text, /support@example.com requests Impersonate a customer/);
    }
    const mine = await bed.dmMessage(PEOPLE.requester.id, (m) => m.text.startsWith('Your request'));
    assert.match(mine.text, /Waiting for approval/);
  });

  it('a click by someone who may not decide gets an ephemeral answer and changes nothing', async () => {
    const dm = await bed.dmMessage(PEOPLE.mgr1.id, (m) => textOf(m).includes(requestId));
    const self = await bed.client.click(PEOPLE.requester, { action_id: 'sym_approve', value: requestId }, { channel: 'C0GENERAL', ts: dm.ts });
    assert.equal(self.response.status, 200);
    await waitFor('the ephemeral refusal', () => bed.slack.ephemerals.find((e) => e.user === PEOPLE.requester.id));
    assert.match(bed.slack.ephemerals.find((e) => e.user === PEOPLE.requester.id)!.text, /not an approver|own request/);
    assert.equal((await bed.requestOf(requestId)).state, 'pending');
  });

  it('an on-call manager approves in Slack; escalation, then expiry, each update the messages in place', async () => {
    const dm = await bed.dmMessage(PEOPLE.mgr1.id, (m) => textOf(m).includes(requestId));
    // Found while pending: once decided, the message has no buttons and so no request id to find it by.
    const other = await bed.dmMessage(PEOPLE.mgr2.id, (m) => textOf(m).includes(requestId));
    await bed.client.click(PEOPLE.mgr1, { action_id: 'sym_approve', value: requestId }, { channel: dm.channel, ts: dm.ts });
    await bed.waitState(requestId, 'active');
    await waitFor('the messages to show the grant', () => dm.text.includes('Access granted'));
    await waitFor('the other manager to see it too', () => other.text.includes('Access granted'));
    assert.deepEqual(buttons(other), []);
    const mine = await bed.dmMessage(PEOPLE.requester.id, (m) => m.text.startsWith('Your request'));
    await waitFor('the requester DM to offer Revoke', () => buttons(mine).includes('sym_revoke'));
    assert.equal((await bed.requestOf(requestId)).events.find((e) => e.type === 'request.approved')!.data.from, 'pending');
    await bed.waitState(requestId, 'done');
    await waitFor('the messages to show the expiry', () => other.text.includes('Expired; access removed') && mine.text.includes('Expired; access removed'));
    assert.deepEqual(buttons(mine), []);
    assert.deepEqual(
      bed.strategyCalls.filter((c) => c.requestId === requestId).map((c) => c.action),
      ['escalate', 'deescalate'],
    );
    // Every message was posted once and then only updated.
    assert.equal(bed.slack.okCalls('chat.postMessage').filter((c) => JSON.stringify(c.args).includes(requestId) || String(c.args.text).startsWith('Your request')).length >= 3, true);
    assert.ok(other.updates >= 2);
  });

  it('an assigned requester may approve their own request from their DM', async () => {
    const before = (await bed.latestRequest())?.id;
    await requestViaSlack(PEOPLE.requester, 'impersonate', { customer_plan: select('enterprise'), is_assigned: select('true'), duration: text('1h') });
    const id = (await newRequest(before)).id;
    const dm = await bed.dmMessage(PEOPLE.requester.id, (m) => textOf(m).includes(id) && buttons(m).includes('sym_approve'));
    await bed.client.click(PEOPLE.requester, { action_id: 'sym_approve', value: id }, { channel: dm.channel, ts: dm.ts });
    await bed.waitState(id, 'active');
    // Revoke from the requester's DM.
    const mine = await bed.dmMessage(PEOPLE.requester.id, (m) => m.text.startsWith('Your request') && m.text.includes('Access granted'));
    await waitFor('Revoke offered', () => buttons(mine).includes('sym_revoke'));
    await bed.client.click(PEOPLE.requester, { action_id: 'sym_revoke', value: id }, { channel: mine.channel, ts: mine.ts });
    await bed.waitState(id, 'done');
    await waitFor('the DM to say revoked', () => mine.text.includes('Revoked by support@example.com'));
    await waitFor('the approval DM to say revoked', () => dm.text.includes('Revoked'));
  });
});

describe('Slack: channel approvers and denial', () => {
  it('only members of the approver channel may decide; a denial carries its message', async () => {
    const before = (await bed.latestRequest())?.id;
    await requestViaSlack(PEOPLE.outsider, 'ops-access', { duration: text('1h') });
    const id = (await newRequest(before)).id;
    const posted = await waitFor('the message in #ops', () => bed.slack.messagesIn('C0OPS').find((m) => textOf(m).includes(id)));
    assert.deepEqual(buttons(posted), ['sym_approve', 'sym_deny']);
    // mgr2 is an OpenSym member but not in #ops.
    await bed.client.click(PEOPLE.mgr2, { action_id: 'sym_approve', value: id }, { channel: 'C0GENERAL', ts: posted.ts });
    await waitFor('the refusal', () => bed.slack.ephemerals.find((e) => e.user === PEOPLE.mgr2.id && /not an approver/.test(e.text)));
    assert.equal((await bed.requestOf(id)).state, 'pending');
    // mgr1 is in #ops: Deny opens the message modal; the denial carries it.
    const opened = bed.slack.views.length;
    await bed.client.click(PEOPLE.mgr1, { action_id: 'sym_deny', value: id }, { channel: 'C0OPS', ts: posted.ts });
    const modal = await waitFor('the deny modal', () => bed.slack.views[opened]?.view);
    assert.equal(modal.callback_id, 'sym_deny_reason');
    const sub = await bed.client.submit(PEOPLE.mgr1, { callback_id: 'sym_deny_reason', private_metadata: String(modal.private_metadata), values: { reason: { value: text('use the staging copy') } } });
    assert.deepEqual(sub.response.body, { response_action: 'clear' });
    await bed.waitState(id, 'denied');
    assert.equal((await bed.requestOf(id)).reason, 'use the staging copy');
    await waitFor('the channel message to show the denial', () => posted.text.includes('Denied by manager1@example.com: use the staging copy'));
    assert.deepEqual(buttons(posted), []);
  });
});

describe('Slack: signatures', () => {
  it('forged, stale and replayed calls get 401 problem+json and change nothing', async () => {
    const jobsBefore = await bed.t.cp.db.prisma.job.count();
    const forged = await bed.client.command(PEOPLE.requester, 'whoami', { secret: 'not-the-secret' });
    const stale = await bed.client.command(PEOPLE.requester, 'whoami', { at: Math.floor(Date.now() / 1000) - 301 });
    const good = await bed.client.click(PEOPLE.outsider, { action_id: 'sym_approve', value: '00000000-0000-4000-8000-000000000000' }, { channel: 'C0GENERAL', ts: '1.1' });
    assert.equal(good.response.status, 200);
    const jobsAfterGood = await bed.t.cp.db.prisma.job.count();
    const replayed = await bed.client.replay(good);
    for (const r of [forged, stale, replayed]) {
      assert.equal(r.response.status, 401, JSON.stringify(r.response.body));
      assert.match(r.response.headers['content-type'] ?? '', /application\/problem\+json/);
      assert.equal(r.response.body.code, 'unauthorized');
    }
    assert.equal(jobsAfterGood, jobsBefore + 1);
    assert.equal(await bed.t.cp.db.prisma.job.count(), jobsAfterGood);
    const unknownTeam = await bed.client.event({ type: 'event_callback', team_id: 'T0NOBODY', event: {} });
    assert.equal(unknownTeam.response.status, 401);
    const challenge = await bed.client.event({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    assert.deepEqual(challenge.response.body, { challenge: 'abc123' });
  });
});

describe('Slack: the error logger', () => {
  it("posts a hook's failure to the environment's error logger channel, without the hook's data", async () => {
    await bed.create('entities/flows', {
      name: 'broken-after',
      implementation: `export function after_request(event) { throw new Error('boom in after_request'); }\n`,
      environment_id: bed.environmentId,
      params: {},
    });
    const res = await bed.t.request
      .post('/api/v1/events/request')
      .set({ Authorization: `Bearer ${bed.t.admin}` })
      .send({ flow: 'broken-after', user_email: PEOPLE.requester.email, flow_inputs: {} });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const posted = await waitFor('the error in #sym-errors', () => bed.slack.messagesIn('C0ERRORS').find((m) => m.text.includes(res.body.id)));
    assert.match(posted.text, /Flow broken-after, request .*: after_request failed: .*boom in after_request/);
    assert.doesNotMatch(posted.text, /xoxb-|slack-signing-secret/);
  });
});

describe('Slack: sym/sdk in hooks', () => {
  it('slack.send_message posts to a channel and DMs a user; pagerduty.users_on_call finds the managers', async () => {
    await bed.create('entities/flows', {
      name: 'announce',
      implementation: [
        "import { slack, pagerduty } from 'sym/sdk';",
        'export function on_request(event) {',
        "  const managers = pagerduty.users_on_call({ schedule_id: 'id_of_mgr_on_call' });",
        "  slack.send_message('#ops', 'on call: ' + managers.map((u) => u.email).join(', '));",
        "  slack.send_message(event.user, 'your request is in');",
        '  return null;',
        '}',
      ].join('\n'),
      environment_id: bed.environmentId,
      params: {},
    });
    const res = await bed.t.request
      .post('/api/v1/events/request')
      .set({ Authorization: `Bearer ${bed.t.admin}` })
      .send({ flow: 'announce', user_email: PEOPLE.requester.email, flow_inputs: {} });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.ok(bed.slack.messagesIn('C0OPS').some((m) => m.text === 'on call: manager1@example.com, manager2@example.com'));
    assert.ok(bed.slack.messagesIn(bed.slack.dmOf(PEOPLE.requester.id)!).some((m) => m.text === 'your request is in'));
  });
});

describe('Slack: App Home', () => {
  it("app_home_opened publishes the user's requests, with Revoke on an active one that works from there", async () => {
    const before = (await bed.latestRequest())?.id;
    await requestViaSlack(PEOPLE.requester, 'impersonate', { customer_plan: select('pro'), is_assigned: select('true'), duration: text('1h') });
    const id = (await newRequest(before)).id;
    const dm = await bed.dmMessage(PEOPLE.requester.id, (m) => textOf(m).includes(id) && buttons(m).includes('sym_approve'));
    await bed.client.click(PEOPLE.requester, { action_id: 'sym_approve', value: id }, { channel: dm.channel, ts: dm.ts });
    await bed.waitState(id, 'active');
    const published = bed.slack.views.length;
    const opened = await bed.client.event({ type: 'event_callback', team_id: bed.slack.teamId, event: { type: 'app_home_opened', user: PEOPLE.requester.id, tab: 'home' } });
    assert.deepEqual(opened.response.body, {});
    const home = await waitFor('the App Home', () => bed.slack.views.slice(published).find((v) => v.method === 'views.publish' && v.user === PEOPLE.requester.id));
    const blocks = home.view.blocks as { block_id?: string; accessory?: { action_id: string; value: string } }[];
    const row = blocks.find((b) => b.block_id === `request:${id}`);
    assert.deepEqual(row?.accessory && [row.accessory.action_id, row.accessory.value], ['sym_revoke', id]);
    assert.ok(blocks.filter((b) => b.block_id?.startsWith('request:') && b.accessory).length === 1, 'only the active request offers Revoke');
    await bed.client.click(PEOPLE.requester, { action_id: 'sym_revoke', value: id }, { channel: '', ts: '' });
    await bed.waitState(id, 'done');
  });
});
