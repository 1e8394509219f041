import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSlackClient, SlackApiError, type SlackClient } from './slack-client';
import { startSlackApiDouble, type SlackApiDouble } from './testing/slack-api-double';
import { slackSignature, verifySlackSignature } from './slack-signature';
import { createReplayGuard } from './replay-guard';

const quick = { retries: 2, factor: 1, minTimeout: 1, maxTimeout: 1 };

describe('Slack client against the Slack double', () => {
  let slack: SlackApiDouble;
  let client: SlackClient;
  before(async () => {
    slack = await startSlackApiDouble();
    slack.addUser({ id: 'UALICE', name: 'alice', email: 'Alice@Example.com' });
    slack.addChannel({ id: 'C0OPS', name: 'ops', members: Array.from({ length: 450 }, (_, i) => `U${i}`) });
    client = createSlackClient({ token: slack.botToken, apiUrl: slack.apiUrl, retries: quick });
  });
  after(() => slack.close());

  it('posts, updates and finds users', async () => {
    assert.deepEqual(await client.authTest(), { teamId: slack.teamId, userId: slack.botUserId });
    const ref = await client.postMessage('#ops', 'hello', [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }]);
    assert.equal(ref.channel, 'C0OPS');
    await client.update(ref, 'bye', [{ type: 'section', text: { type: 'mrkdwn', text: 'bye' } }]);
    assert.equal(slack.messages.get(`C0OPS:${ref.ts}`)?.text, 'bye');
    assert.equal((await client.userByEmail('alice@example.com'))?.id, 'UALICE');
    assert.equal(await client.userByEmail('nobody@example.com'), null);
    assert.equal((await client.userInfo('UALICE'))?.email, 'alice@example.com');
    assert.equal(await client.userInfo('UNOBODY'), null);
    const dm = await client.openDm('UALICE');
    assert.equal(dm, await client.openDm('UALICE'));
  });

  it('follows conversations.members cursors to the last page', async () => {
    const members = await client.channelMembers('C0OPS');
    assert.equal(members.length, 450);
    assert.ok(slack.okCalls('conversations.members').length >= 3);
  });

  it('waits out a 429 Retry-After and retries a 5xx, posting once', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 0 });
    slack.failNext('chat.postMessage', { status: 503 });
    const before = slack.okCalls('chat.postMessage').length;
    await client.postMessage('C0OPS', 'once');
    assert.equal(slack.okCalls('chat.postMessage').length, before + 1);
    assert.deepEqual(
      slack.calls
        .filter((c) => c.method === 'chat.postMessage')
        .slice(-3)
        .map((c) => c.outcome),
      ['http_429', 'http_503', 'ok'],
    );
  });

  it('refuses what Slack refuses: unknown channel, blocks without text, over 50 blocks, duplicate action_ids', async () => {
    const section = { type: 'section', text: { type: 'mrkdwn', text: 'x' } };
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (e instanceof SlackApiError ? e.code : String(e)),
      );
    assert.equal(await codeOf(client.postMessage('C0NOPE', 'x')), 'channel_not_found');
    assert.equal(await codeOf(client.postMessage('C0OPS', '', [section])), 'missing_text_fallback');
    assert.equal(
      await codeOf(
        client.postMessage(
          'C0OPS',
          'x',
          Array.from({ length: 51 }, () => section),
        ),
      ),
      'invalid_blocks',
    );
    const button = (id: string) => ({ type: 'button', action_id: id, text: { type: 'plain_text', text: 'b' }, value: 'v' });
    assert.equal(await codeOf(client.postMessage('C0OPS', 'x', [{ type: 'actions', elements: [button('a'), button('a')] }])), 'invalid_blocks');
    assert.equal(await codeOf(client.update({ channel: 'C0OPS', ts: '1.1' }, 'x')), 'message_not_found');
    assert.equal(await codeOf(client.openView('not-issued', { type: 'modal', title: { type: 'plain_text', text: 't' }, blocks: [] })), 'expired_trigger_id');
    const bad = createSlackClient({ token: 'xoxb-wrong', apiUrl: slack.apiUrl, retries: quick });
    const err = await bad.authTest().catch((e: unknown) => e as Error);
    assert.ok(err instanceof SlackApiError && err.code === 'invalid_auth');
    assert.ok(!String(err.message).includes('xoxb-wrong'));
  });
});

describe('v0 signatures and replays', () => {
  const body = Buffer.from('team_id=T1&text=req');
  const now = 1_800_000_000;
  const signature = slackSignature('s3cret', String(now), body);
  it('accepts the right signature in the window and refuses forged, stale and future ones', () => {
    assert.deepEqual(verifySlackSignature({ signingSecret: 's3cret', timestamp: String(now), signature, body, nowSeconds: now + 299 }), { ok: true });
    assert.equal(verifySlackSignature({ signingSecret: 'other', timestamp: String(now), signature, body, nowSeconds: now }).ok, false);
    assert.deepEqual(verifySlackSignature({ signingSecret: 's3cret', timestamp: String(now), signature, body, nowSeconds: now + 301 }), { ok: false, reason: 'stale' });
    assert.deepEqual(verifySlackSignature({ signingSecret: 's3cret', timestamp: String(now), signature, body, nowSeconds: now - 301 }), { ok: false, reason: 'stale' });
    assert.deepEqual(verifySlackSignature({ signingSecret: 's3cret', timestamp: String(now), signature, body: Buffer.from('team_id=T1&text=rex'), nowSeconds: now }), {
      ok: false,
      reason: 'mismatch',
    });
    assert.deepEqual(verifySlackSignature({ signingSecret: 's3cret', timestamp: undefined, signature, body, nowSeconds: now }), { ok: false, reason: 'missing' });
  });
  it('the replay guard accepts a signature once within the window', () => {
    const guard = createReplayGuard();
    assert.equal(guard.firstUse('v0=a', now, now), true);
    assert.equal(guard.firstUse('v0=a', now, now + 10), false);
    assert.equal(guard.firstUse('v0=b', now, now + 10), true);
  });
});
