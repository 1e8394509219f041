// The identity, user and flow caches through the API (PGlite): a change made through this
// process is seen by the very next call, though each of them was just cached.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';

const approve = (tag: string) => `import { events } from "sym/sdk";\n// ${tag}\nexport function on_request(event) {\n  return events.approval.approve();\n}\n`;

describe('lookup caches (API on PGlite)', () => {
  let t: TestControlPlane;
  before(async () => {
    t = await startTestControlPlane();
  });
  after(async () => {
    await t?.close();
  });
  const admin = () => ({ Authorization: `Bearer ${t.admin}` });

  it('a changed role, a deleted token and a changed flow take effect at once', async () => {
    const user = await t.request.post('/api/v1/users').set(admin()).send({ email: 'cached@example.com', role: 'member' });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    const issued = await t.request.post(`/api/v1/users/${user.body.id}/tokens`).set(admin()).send({});
    assert.equal(issued.status, 201);
    const as = { Authorization: `Bearer ${issued.body.token}` };
    assert.equal((await t.request.get('/api/v1/whoami').set(as)).body.token.role, 'member');

    const env = await t.request.post('/api/v1/entities/environments').set(admin()).send({ name: 'cache-env' });
    const flow = await t.request
      .post('/api/v1/entities/flows')
      .set(admin())
      .send({ name: 'cached-flow', implementation: approve('v1'), environment_id: env.body.id, params: { prompt_field: [{ name: 'reason', type: 'string' }] } });
    assert.equal(flow.status, 201, JSON.stringify(flow.body));
    const first = await t.request
      .post('/api/v1/events/request')
      .set(as)
      .send({ flow: 'cached-flow', flow_inputs: { reason: 'a' } });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.state, 'approved');

    // The flow changes: the next request runs on the new version.
    const patched = await t.request
      .patch(`/api/v1/entities/flows/${flow.body.id}`)
      .set(admin())
      .send({ params: { prompt_field: [{ name: 'reason', type: 'string' }], allowed_sources: ['slack'] } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const refused = await t.request
      .post('/api/v1/events/request')
      .set(as)
      .send({ flow: 'cached-flow', flow_inputs: { reason: 'b' } });
    assert.equal(refused.status, 403, 'the new allowed_sources applies at once');

    // The user becomes a guest: their token says so at once.
    assert.equal((await t.request.patch(`/api/v1/users/${user.body.id}`).set(admin()).send({ role: 'guest' })).status, 200);
    assert.equal((await t.request.get('/api/v1/whoami').set(as)).body.token.role, 'guest');

    // The token is revoked: it stops working at once.
    assert.equal((await t.request.delete(`/api/v1/tokens/${issued.body.id}`).set(admin())).status, 204);
    assert.equal((await t.request.get('/api/v1/whoami').set(as)).status, 401);
  });
});
