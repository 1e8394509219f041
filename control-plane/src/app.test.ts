import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from './test-support/test-control-plane';

let t: TestControlPlane;
before(async () => {
  t = await startTestControlPlane();
});
after(async () => {
  await t?.close();
});

const problem = (res: { status: number; headers: Record<string, string>; body: { code?: string; status?: number } }, status: number, code: string) => {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
  assert.equal(res.body.code, code);
  assert.equal(res.body.status, status);
};

describe('HTTP surface', () => {
  it('serves health and the OpenAPI document', async () => {
    const health = await t.request.get('/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const doc = await t.request.get('/api/v1/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, '3.1.0');
    assert.ok(doc.body.components.schemas['flows.create']);
  });

  it('authenticates bearer tokens', async () => {
    problem(await t.request.get('/api/v1/whoami'), 401, 'unauthorized');
    problem(await t.request.get('/api/v1/whoami').set('Authorization', 'Bearer sym_nope'), 401, 'unauthorized');
    problem(await t.request.get('/api/v1/whoami').set('Authorization', `Basic ${t.admin}`), 401, 'unauthorized');
    const me = await t.request.get('/api/v1/whoami').set('Authorization', `Bearer ${t.member}`);
    assert.equal(me.status, 200);
    assert.equal(me.body.org.id, t.orgId);
    assert.match(me.body.org.slug, /^test-/);
    assert.equal(me.body.token.role, 'member');
    assert.ok(me.body.token.id);
  });

  it('lets members read but not write', async () => {
    const auth = { Authorization: `Bearer ${t.member}` };
    assert.equal((await t.request.get('/api/v1/entities/runtimes').set(auth)).status, 200);
    problem(await t.request.post('/api/v1/entities/runtimes').set(auth).send({ name: 'x' }), 403, 'forbidden');
    problem(await t.request.patch('/api/v1/entities/runtimes/00000000-0000-4000-8000-000000000000').set(auth).send({}), 403, 'forbidden');
    problem(await t.request.delete('/api/v1/entities/runtimes/00000000-0000-4000-8000-000000000000').set(auth), 403, 'forbidden');
  });

  it('answers bad bodies with 400, 413, 415 and 422, never 500', async () => {
    const auth = { Authorization: `Bearer ${t.admin}` };
    const url = '/api/v1/entities/runtimes';
    problem(await t.request.post(url).set(auth).set('Content-Type', 'application/json').send('{"name": '), 400, 'malformed_json');
    problem(await t.request.post(url).set(auth).set('Content-Type', 'application/json').send('"just a string"'), 400, 'malformed_json');
    problem(await t.request.post(url).set(auth).set('Content-Type', 'text/plain').send('name=x'), 415, 'unsupported_media_type');
    problem(await t.request.post(url).set(auth), 415, 'unsupported_media_type');
    const big = JSON.stringify({ name: 'x', label: 'a'.repeat(1024 * 1024) });
    problem(await t.request.post(url).set(auth).set('Content-Type', 'application/json').send(big), 413, 'payload_too_large');
    problem(await t.request.post(url).set(auth).send([1, 2]), 422, 'validation_failed');
    problem(await t.request.post(url).set(auth).set('Content-Type', 'application/json').send('null'), 400, 'malformed_json');
    problem(
      await t.request
        .post(url)
        .set(auth)
        .send({ name: 'x', label: { deep: [1] } }),
      422,
      'validation_failed',
    );
    const nul = await t.request.post(url).set(auth).send({ name: 'x\u0000y' });
    problem(nul, 422, 'validation_failed');
    assert.equal(nul.body.errors[0].pointer, '/name');
    problem(await t.request.post(url).set(auth).send({ name: 'x', 'k\u0000': 1 }), 422, 'validation_failed');
  });

  it('answers unknown routes with a 404 problem', async () => {
    problem(await t.request.get('/nope'), 404, 'not_found');
    problem(await t.request.get('/api/v1/nope').set('Authorization', `Bearer ${t.admin}`), 404, 'not_found');
  });

  it('renders RFC 9457 problems', async () => {
    const res = await t.request.post('/api/v1/entities/runtimes').set('Authorization', `Bearer ${t.admin}`).send({ name: 1 });
    assert.equal(res.status, 422);
    assert.equal(res.body.type, 'https://opensym.dev/problems/validation-failed');
    assert.equal(res.body.title, 'Validation failed');
    assert.equal(typeof res.body.detail, 'string');
    assert.deepEqual(res.body.errors, [{ pointer: '/name', detail: 'must be a string' }]);
  });
});
