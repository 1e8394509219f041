// A `slack` integration's credentials: its own app (`bot_token_secret` and `signing_secret_secret`,
// both), or, naming neither as Sym's configs do, the control plane's own app (SYM_SLACK_BOT_TOKEN,
// SYM_SLACK_SIGNING_SECRET). The API refuses what could never reach Slack (422 at /settings); a
// PATCH is judged on the merged result. With the operator's app, a token-less integration works.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { PEOPLE, startSlackTestbed, type SlackTestbed } from './slack-testbed';

describe('slack integration settings, control plane without a Slack app of its own (API on PGlite)', () => {
  let t: TestControlPlane;
  const admin = () => ({ Authorization: `Bearer ${t.admin}` });
  const post = (name: string, settings: unknown) => t.request.post('/api/v1/entities/integrations').set(admin()).send({ type: 'slack', name, external_id: 'T1', settings });
  before(async () => {
    t = await startTestControlPlane(undefined, { workflow: { slackApp: {} } });
  });
  after(async () => {
    await t?.close();
  });

  const refused: [string, unknown, RegExp][] = [
    ['no settings', null, /no Slack app of its own \(SYM_SLACK_BOT_TOKEN and SYM_SLACK_SIGNING_SECRET\)/],
    ['empty settings', {}, /no Slack app of its own/],
    ['an app token alone', { app_token_secret: 'a' }, /no Slack app of its own/],
    ['no signing secret', { bot_token_secret: 'b' }, /only one of `bot_token_secret` and `signing_secret_secret`/],
    ['an empty bot token', { bot_token_secret: '', signing_secret_secret: 's' }, /only one of/],
  ];
  for (const [name, settings, detail] of refused) {
    it(`refuses ${name}`, async () => {
      const res = await post(`refused-${refused.findIndex((r) => r[0] === name)}`, settings);
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.code, 'validation_failed');
      assert.equal(res.body.errors.length, 1, JSON.stringify(res.body.errors));
      assert.equal(res.body.errors[0].pointer, '/settings');
      assert.match(res.body.errors[0].detail, detail);
    });
  }

  it('accepts HTTP and Socket Mode settings; a PATCH that drops one is refused', async () => {
    const http = await post('http', { bot_token_secret: 'b', signing_secret_secret: 's' });
    assert.equal(http.status, 201, JSON.stringify(http.body));
    const socket = await post('socket', { bot_token_secret: 'b', signing_secret_secret: 's', app_token_secret: 'a' });
    assert.equal(socket.status, 201, JSON.stringify(socket.body));
    const patched = await t.request
      .patch(`/api/v1/entities/integrations/${http.body.id}`)
      .set(admin())
      .send({ settings: { bot_token_secret: 'b' } });
    assert.equal(patched.status, 422, JSON.stringify(patched.body));
    assert.equal(patched.body.errors[0].pointer, '/settings');
    const custom = await t.request.post('/api/v1/entities/integrations').set(admin()).send({ type: 'custom', name: 'other', external_id: 'x' });
    assert.equal(custom.status, 201, 'other types need none of them');
  });
});

describe("slack integration naming no token secrets (a Sym config), with the operator's Slack app", () => {
  let bed: SlackTestbed;
  before(async () => {
    bed = await startSlackTestbed({ operatorApp: true });
  });
  after(() => bed?.close());

  it("is accepted as Sym writes it, and /sym answers: signed with the operator's signing secret, users.info with its bot token", async () => {
    const stored = (await bed.t.request.get('/api/v1/entities/integrations?type=slack').set({ Authorization: `Bearer ${bed.t.admin}` })).body.data;
    assert.equal(stored.length, 1);
    assert.equal(stored[0].settings?.bot_token_secret, undefined, 'the integration names no token');
    const who = await bed.client.command(PEOPLE.requester, 'whoami');
    assert.equal(who.response.status, 200, JSON.stringify(who.response.body));
    assert.equal(who.response.body.text, `You are ${PEOPLE.requester.email} (member) in OpenSym.`);
    const forged = await bed.client.command(PEOPLE.requester, 'whoami', { secret: 'not-the-operators' });
    assert.equal(forged.response.status, 401);
  });
});

describe("slack integration naming no token secrets, with the operator's app-level token: Socket Mode", () => {
  let bed: SlackTestbed;
  before(async () => {
    // The testbed waits for the integration's Socket Mode connection, opened with the operator's app token.
    bed = await startSlackTestbed({ operatorApp: true, socketMode: true });
  });
  after(() => bed?.close());

  it("connects with the operator's app token and answers /sym over the socket", async () => {
    const whoami = await bed.socket!.client.command(PEOPLE.mgr1, 'whoami');
    assert.equal(whoami.ack.text, `You are ${PEOPLE.mgr1.email} (member) in OpenSym.`);
  });
});
