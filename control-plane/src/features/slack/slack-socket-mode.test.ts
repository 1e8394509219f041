// The same Slack flows over Socket Mode: the integration names an app-level token, the control
// plane connects through `apps.connections.open` (Web API double) to the Socket Mode double, and
// envelopes reach the handler the HTTP routes use; answers come back as acks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Logger } from 'pino';
import { waitFor } from '../../jobs/testing/wait-for';
import type { DoubleMessage } from '../../integrations/slack/testing/slack-api-double';
import type { SocketTestClient } from '../../integrations/slack/testing/socket-mode-double';
import type { SlackInbound } from './slack-inbound';
import { createSlackSocketMode } from './slack-socket-mode';
import { PEOPLE, startSlackTestbed, type SlackTestbed } from './slack-testbed';

const routingImpl = readFileSync(new URL('../../../../examples/routing-rules/impl.js', import.meta.url), 'utf8');

let bed: SlackTestbed;
let socket: SocketTestClient;

const textOf = (m: DoubleMessage) => `${m.text} ${JSON.stringify(m.blocks)}`;
const select = (value: string) => ({ type: 'static_select', selected_option: { value, text: { type: 'plain_text', text: value } } });
const text = (value: string) => ({ type: 'plain_text_input', value });

before(async () => {
  bed = await startSlackTestbed({ socketMode: true });
  socket = bed.socket!.client;
  await bed.create('entities/flows', {
    name: 'impersonate',
    label: 'Impersonate a customer',
    implementation: routingImpl,
    environment_id: bed.environmentId,
    params: {
      strategy_id: bed.strategyId,
      // Only Slack may request it: a request that exists came through Slack's path.
      allowed_sources: ['slack'],
      prompt_field: [
        { name: 'customer_plan', type: 'string', required: true, allowed_values: ['free', 'pro', 'enterprise'], label: 'Plan' },
        { name: 'is_assigned', type: 'bool', required: true },
        { name: 'duration', type: 'duration', required: true },
      ],
    },
  });
});
after(() => bed?.close());

describe('Slack over Socket Mode', () => {
  let requestId: string;
  const approvalDms: DoubleMessage[] = [];

  it('connects with the app-level token through apps.connections.open', () => {
    const opens = bed.slack.okCalls('apps.connections.open');
    assert.ok(opens.length >= 1);
    assert.equal(bed.socket!.double.openConnections(), 1);
  });

  it('/sym req opens the request modal; the envelope is acknowledged', async () => {
    const opened = bed.slack.views.length;
    const { ack } = await socket.command(PEOPLE.requester, 'req impersonate');
    assert.deepEqual(ack, {});
    const view = await waitFor('the request modal', () => bed.slack.views[opened]?.view);
    assert.equal(view.callback_id, 'sym_request');
    const whoami = await socket.command(PEOPLE.requester, 'whoami');
    assert.equal(whoami.ack.text, 'You are support@example.com (member) in OpenSym.');
  });

  it('the modal submit creates the request (ack: clear) and the on-call managers are DMed', async () => {
    const before = (await bed.latestRequest())?.id;
    const invalid = await socket.submit(PEOPLE.requester, {
      callback_id: 'sym_request',
      private_metadata: String(bed.slack.views.at(-1)!.view.private_metadata),
      values: { 'field:customer_plan': { value: select('pro') }, 'field:duration': { value: text('soon') } },
    });
    assert.equal(invalid.ack.response_action, 'errors', 'the API validation answers inline, as over HTTP');
    assert.equal((await bed.latestRequest())?.id, before);
    const { ack } = await socket.submit(PEOPLE.requester, {
      callback_id: 'sym_request',
      private_metadata: String(bed.slack.views.at(-1)!.view.private_metadata),
      values: { 'field:customer_plan': { value: select('pro') }, 'field:is_assigned': { value: select('false') }, 'field:duration': { value: text('1h') } },
    });
    assert.deepEqual(ack, { response_action: 'clear' });
    const created = await waitFor('the request made over Socket Mode', async () => {
      const latest = await bed.latestRequest();
      return latest && latest.id !== before ? latest : null;
    });
    requestId = created.id;
    await bed.waitState(requestId, 'pending');
    for (const mgr of [PEOPLE.mgr1, PEOPLE.mgr2]) approvalDms.push(await bed.dmMessage(mgr.id, (m) => textOf(m).includes(requestId)));
  });

  it('an Approve click decides the request and the approval messages are updated', async () => {
    const [dm, other] = approvalDms as [DoubleMessage, DoubleMessage];
    const { ack } = await socket.click(PEOPLE.mgr1, { action_id: 'sym_approve', value: requestId }, { channel: dm.channel, ts: dm.ts });
    assert.deepEqual(ack, {});
    await bed.waitState(requestId, 'active');
    await waitFor('the approval message to show the grant', () => dm.text.includes('Access granted'));
    await waitFor('the other manager to see it too', () => other.text.includes('Access granted'));
  });

  it('an envelope naming another team is acknowledged and changes nothing', async () => {
    const views = bed.slack.views.length;
    const { ack } = await bed.socket!.double.send('slash_commands', { team_id: 'T0OTHER', user_id: PEOPLE.requester.id, command: '/sym', text: 'whoami', trigger_id: bed.slack.issueTrigger() });
    assert.deepEqual(ack, {});
    assert.equal(bed.slack.views.length, views);
  });

  it('stop disconnects', async () => {
    await bed.t.cp.slackSocketMode.stop();
    await waitFor('the connection to close', () => bed.socket!.double.openConnections() === 0);
  });
});

describe('Socket Mode sync', () => {
  it('a failing lookup is logged, never an unhandled rejection (sync runs unawaited on entity changes)', async () => {
    const warnings: string[] = [];
    const logger = { warn: (_: unknown, message: string) => warnings.push(message), info: () => {} } as unknown as Logger;
    const socketMode = createSlackSocketMode({
      workspaces: { all: () => Promise.reject(new Error('database gone')) },
      inbound: {} as SlackInbound,
      logger,
      apiUrl: 'http://127.0.0.1:1/api/',
      runAfter: () => {},
    });
    await socketMode.start();
    await socketMode.sync();
    assert.deepEqual(warnings, ['slack socket mode: sync failed', 'slack socket mode: sync failed']);
    await socketMode.stop();
  });
});
