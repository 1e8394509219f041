// Issue 7 §4: bad input gets a 4xx problem, never a 500 or a half-done write. Covers the HTTP
// layer's own checks: U+0000, nesting depth, Content-Encoding, methods, `?id=`.
import assert from 'node:assert/strict';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import openApiDocument from '../../../schemas/generated/openapi.json' with { type: 'json' };
import { startTestControlPlane, type TestControlPlane } from '../test-support/test-control-plane';
import { MAX_BODY_DEPTH } from '../validation/json-shape';

let t: TestControlPlane;
before(async () => {
  t = await startTestControlPlane();
});
after(async () => {
  await t?.close();
});

type Res = { status: number; headers: Record<string, string>; body: { code?: string; status?: number; errors?: { pointer: string; detail: string }[] } };

function isProblem(res: Res, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
  assert.equal(res.body.code, code);
  assert.equal(res.body.status, status);
}

/** A 422 naming exactly `pointer` among its field errors. */
function refusedAt(res: Res, pointer: string, detail: RegExp): void {
  isProblem(res, 422, 'validation_failed');
  const hit = res.body.errors?.find((e) => e.pointer === pointer);
  assert.ok(hit, `no error at ${pointer}: ${JSON.stringify(res.body.errors)}`);
  assert.match(hit.detail, detail);
}

const NUL = /U\+0000/;
const someId = '00000000-0000-4000-8000-000000000000';
const admin = () => ({ Authorization: `Bearer ${t.admin}` });

describe('U+0000 in a body or query string is a 422 naming where it is', () => {
  it('entities: POST and PATCH bodies, values and keys, nested', async () => {
    refusedAt(await t.request.post('/api/v1/entities/runtimes').set(admin()).send({ name: 'a\u0000b' }), '/name', NUL);
    const flow = { name: 'f', implementation: 'x', params: { prompt_field: [{ name: 'reason', type: 'string', label: 'why\u0000' }] } };
    refusedAt(await t.request.post('/api/v1/entities/flows').set(admin()).send(flow), '/params/prompt_field/0/label', NUL);
    const created = await t.request.post('/api/v1/entities/runtimes').set(admin()).send({ name: 'nul-patch' });
    assert.equal(created.status, 201);
    refusedAt(await t.request.patch(`/api/v1/entities/runtimes/${created.body.id}`).set(admin()).send({ label: '\u0000' }), '/label', NUL);
    refusedAt(await t.request.patch(`/api/v1/entities/runtimes/${created.body.id}`).set(admin()).send({ 'x\u0000': 1 }), '/x\u0000', NUL);
    const after = await t.request.get(`/api/v1/entities/runtimes/${created.body.id}`).set(admin());
    assert.equal(after.body.name, 'nul-patch', 'nothing was written');
  });

  it('events/request and approve, deny, revoke', async () => {
    refusedAt(await t.request.post('/api/v1/events/request').set(admin()).send({ flow: 'f\u0000' }), '/flow', NUL);
    refusedAt(
      await t.request
        .post('/api/v1/events/request')
        .set(admin())
        .send({ flow: 'f', flow_inputs: { reason: ['ok', 'x\u0000'] } }),
      '/flow_inputs/reason/1',
      NUL,
    );
    for (const step of ['approve', 'deny', 'revoke']) {
      refusedAt(await t.request.post(`/api/v1/requests/${someId}/${step}`).set(admin()).send({ reason: 'because\u0000' }), '/reason', NUL);
      refusedAt(await t.request.post(`/api/v1/requests/${someId}/${step}`).set(admin()).send({ user_email: '\u0000@example.com' }), '/user_email', NUL);
    }
  });

  it('users and tokens', async () => {
    refusedAt(await t.request.post('/api/v1/users').set(admin()).send({ email: 'a\u0000b@example.com' }), '/email', NUL);
    refusedAt(
      await t.request
        .post('/api/v1/users')
        .set(admin())
        .send({ email: 'ok@example.com', identities: { slack: 'U\u0000' } }),
      '/identities/slack',
      NUL,
    );
    refusedAt(await t.request.patch(`/api/v1/users/${someId}`).set(admin()).send({ email: 'b\u0000@example.com' }), '/email', NUL);
    refusedAt(await t.request.post('/api/v1/tokens').set(admin()).send({ name: 'bot\u0000', role: 'member' }), '/name', NUL);
    refusedAt(await t.request.post(`/api/v1/users/${someId}/tokens`).set(admin()).send({ name: '\u0000' }), '/name', NUL);
  });

  it('query parameters on every list, in values and in names', async () => {
    const lists = [
      '/api/v1/entities/runtimes?slug=a%00',
      '/api/v1/entities/access-targets?type=%00',
      '/api/v1/users?email=a%00b%40example.com',
      '/api/v1/tokens?user_id=%00',
      '/api/v1/requests?flow=f%00',
      '/api/v1/requests?requester=%00',
      '/api/v1/requests?page_token=%00',
      '/api/v1/audit?actor=%00',
    ];
    for (const url of lists) {
      const name = url.slice(url.indexOf('?') + 1, url.indexOf('='));
      refusedAt(await t.request.get(url).set(admin()), `/${name}`, NUL);
    }
    refusedAt(await t.request.get('/api/v1/entities/runtimes?slug=ok&slug=b%00').set(admin()), '/slug', NUL);
    refusedAt(await t.request.get('/api/v1/requests?x%00y=1').set(admin()), '/x\u0000y', NUL);
  });
});

describe('bodies nested beyond the depth limit are a 422, not a stack overflow', () => {
  const nested = (levels: number, leaf = '1') => '{"a":'.repeat(levels) + leaf + '}'.repeat(levels);
  const send = (url: string, raw: string) => t.request.post(url).set(admin()).set('Content-Type', 'application/json').send(raw);

  it('100,000 levels of objects or arrays, on every kind of route', async () => {
    const deepObject = nested(100_000);
    const deepArray = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const url of ['/api/v1/entities/runtimes', '/api/v1/events/request', '/api/v1/users', '/api/v1/tokens', `/api/v1/requests/${someId}/approve`]) {
      for (const raw of [deepObject, deepArray, `{"label": ${deepArray}}`]) {
        const res = await send(url, raw);
        isProblem(res, 422, 'validation_failed');
        assert.match(res.body.errors![0]!.detail, new RegExp(`nested deeper than ${MAX_BODY_DEPTH} levels`));
      }
    }
    const patch = await t.request.patch(`/api/v1/entities/runtimes/${someId}`).set(admin()).set('Content-Type', 'application/json').send(deepObject);
    isProblem(patch, 422, 'validation_failed');
  });

  it('the pointer names the first value beyond the limit; up to the limit is the usual validation', async () => {
    const res = await send('/api/v1/entities/runtimes', nested(MAX_BODY_DEPTH + 1, '{}'));
    refusedAt(res, '/a'.repeat(MAX_BODY_DEPTH), /nested deeper/);
    const within = await send('/api/v1/entities/runtimes', `{"name": "x", "label": ${nested(MAX_BODY_DEPTH - 1)}}`);
    refusedAt(within, '/label', /string/);
  });
});

describe('a body its Content-Encoding cannot decode is a 400 problem; an unknown encoding is 415', () => {
  const post = (encoding: string, body: Buffer) =>
    // serialize: superagent would otherwise JSON-encode the Buffer, as the Content-Type is JSON.
    t.request
      .post('/api/v1/entities/runtimes')
      .set(admin())
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', encoding)
      .serialize((b: Buffer) => b as unknown as string)
      .send(body);
  const json = Buffer.from(JSON.stringify({ name: 'x\u0000' }));

  it('decodes gzip, deflate and br bodies', async () => {
    // The NUL makes a 422 from the decoded body without writing anything.
    refusedAt(await post('gzip', gzipSync(json)), '/name', NUL);
    refusedAt(await post('deflate', deflateSync(json)), '/name', NUL);
    refusedAt(await post('br', brotliCompressSync(json)), '/name', NUL);
  });

  it('refuses garbage gzip, deflate and br, and truncated gzip, with 400', async () => {
    const garbage = Buffer.from('this is not compressed at all, not even a little');
    for (const encoding of ['gzip', 'deflate', 'br', 'GZIP']) isProblem(await post(encoding, garbage), 400, 'malformed_json');
    isProblem(await post('gzip', gzipSync(json).subarray(0, 12)), 400, 'malformed_json');
    isProblem(await post('deflate', gzipSync(json)), 400, 'malformed_json');
  });

  it('refuses unknown encodings with 415', async () => {
    for (const encoding of ['compress', 'x-gzip-but-not', 'gzip, br', 'zstd']) isProblem(await post(encoding, gzipSync(json)), 415, 'unsupported_media_type');
  });
});

describe('methods the OpenAPI document does not list for a known path are a 405 with Allow', () => {
  const paths = (openApiDocument as { paths: Record<string, Record<string, unknown>> }).paths;
  const concrete = (template: string) => template.replaceAll(/\{[^}]+\}/g, someId);

  it('on every documented path, every other method answers 405 with the documented methods in Allow', async () => {
    for (const [template, item] of Object.entries(paths)) {
      const documented = ['get', 'post', 'put', 'patch', 'delete'].filter((m) => m in item);
      const expected = new Set([...documented.map((m) => m.toUpperCase()), ...(documented.includes('get') ? ['HEAD'] : [])]);
      for (const method of ['get', 'post', 'put', 'patch', 'delete', 'trace'].filter((m) => !documented.includes(m))) {
        const res = (await t.request[method as 'get'](concrete(template)).set(admin())) as unknown as Res;
        isProblem(res, 405, 'method_not_allowed');
        assert.deepEqual(new Set(res.headers.allow!.split(', ')), expected, `${method} ${template}`);
      }
    }
  });

  it('answers OPTIONS with 204 and Allow; documented methods and unknown paths are routed as before', async () => {
    const options = await t.request.options('/api/v1/requests/' + someId + '/approve');
    assert.equal(options.status, 204);
    assert.equal(options.headers.allow, 'POST');
    isProblem((await t.request.get(`/api/v1/requests/${someId}`).set(admin())) as unknown as Res, 404, 'not_found');
    isProblem((await t.request.put('/api/v1/entities/no-such-kind').set(admin()).send({})) as unknown as Res, 404, 'not_found');
    isProblem((await t.request.put('/api/v1/nope').set(admin()).send({})) as unknown as Res, 404, 'not_found');
    const head = await t.request.head('/api/v1/entities/runtimes').set(admin());
    assert.equal(head.status, 200);
  });
});

describe('?id= on entity lists', () => {
  it('refuses a value that is not a UUID with 422 at /id, alone or among UUIDs', async () => {
    refusedAt(await t.request.get('/api/v1/entities/runtimes?id=not-a-uuid').set(admin()), '/id', /UUID/);
    refusedAt(await t.request.get(`/api/v1/entities/runtimes?id=${someId}&id=nope`).set(admin()), '/id', /UUID/);
    refusedAt(await t.request.get(`/api/v1/entities/runtimes?id=${someId},1`).set(admin()), '/id', /UUID/);
    // Found by schemathesis: empty values, and more than 100 values that are all the same id.
    refusedAt(await t.request.get('/api/v1/entities/runtimes?id=&id=').set(admin()), '/id', /UUID/);
    refusedAt(await t.request.get(`/api/v1/entities/runtimes?${Array(101).fill(`id=${someId}`).join('&')}`).set(admin()), '/id', /limit is 100/);
    const ok = await t.request.get(`/api/v1/entities/runtimes?id=${someId.toUpperCase()}`).set(admin());
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body.data, []);
  });

  it('documents the UUID items and the 422 beyond 100 ids in the OpenAPI document', () => {
    type ListOperation = { parameters: { name: string; schema: object }[]; responses: Record<string, unknown> };
    const list = (openApiDocument.paths['/api/v1/entities/runtimes'] as unknown as { get: ListOperation }).get;
    const id = list.parameters.find((p) => p.name === 'id')!;
    assert.deepEqual(id.schema, { type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 100 });
    assert.ok(list.responses['422'], 'the 422 is documented');
  });
});

describe('found by schemathesis', () => {
  it('GET /tokens?user_id= refuses a value that is not a UUID with 422', async () => {
    for (const v of ['', 'nope', '1']) refusedAt(await t.request.get(`/api/v1/tokens?user_id=${v}`).set(admin()), '/user_id', /UUID/);
  });

  it('a body the document makes optional may be left out (POST /users/{id}/tokens), a required one may not', async () => {
    const user = await t.request.post('/api/v1/users').set(admin()).send({ email: 'bodiless@example.com' });
    assert.equal(user.status, 201);
    const issued = await t.request.post(`/api/v1/users/${user.body.id}/tokens`).set(admin());
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    isProblem((await t.request.post('/api/v1/users').set(admin())) as unknown as Res, 415, 'unsupported_media_type');
    isProblem((await t.request.patch(`/api/v1/users/${user.body.id}`).set(admin())) as unknown as Res, 415, 'unsupported_media_type');
  });
});
