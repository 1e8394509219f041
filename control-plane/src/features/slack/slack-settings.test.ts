// The API refuses a `slack` integration that does not name its bot token and signing secret
// (422 at /settings), as the provider does at plan time; a PATCH is judged on the merged result.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';

describe('slack integration settings (API on PGlite)', () => {
  let t: TestControlPlane;
  const admin = () => ({ Authorization: `Bearer ${t.admin}` });
  const post = (name: string, settings: unknown) => t.request.post('/api/v1/entities/integrations').set(admin()).send({ type: 'slack', name, external_id: 'T1', settings });
  before(async () => {
    t = await startTestControlPlane();
  });
  after(async () => {
    await t?.close();
  });

  const refused: [string, unknown][] = [
    ['no settings', null],
    ['no signing secret', { bot_token_secret: 'b' }],
    ['an app token alone', { app_token_secret: 'a' }],
    ['an empty bot token', { bot_token_secret: '', signing_secret_secret: 's' }],
  ];
  for (const [name, settings] of refused) {
    it(`refuses ${name}`, async () => {
      const res = await post(`refused-${refused.findIndex((r) => r[0] === name)}`, settings);
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.code, 'validation_failed');
      assert.equal(res.body.errors.length, 1, JSON.stringify(res.body.errors));
      assert.equal(res.body.errors[0].pointer, '/settings');
      assert.match(res.body.errors[0].detail, /`bot_token_secret` and `signing_secret_secret`/);
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
