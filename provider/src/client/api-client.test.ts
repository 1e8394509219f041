import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from './api-client';
import { ApiError, ApiUnreachableError } from './api-error';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

describe('ApiClient', () => {
  let server: Server;
  let base = '';
  let handler: Handler = (_q, res) => res.end();
  const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
        handler(req, res, body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const json = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(JSON.stringify(body));
  };

  it('sends the bearer token and JSON body, returns the entity', async () => {
    handler = (_q, res, body) => json(res, 201, { id: 'e1', ...JSON.parse(body) });
    const c = new ApiClient({ baseUrl: base + '/', token: 'sekrit' });
    const e = await c.create('flows', { name: 'a', n: 1n as unknown as number });
    assert.deepEqual(e, { id: 'e1', name: 'a', n: 1 });
    const last = seen.at(-1)!;
    assert.equal(last.auth, 'Bearer sekrit');
    assert.equal(last.url, '/api/v1/entities/flows');
  });

  it("a base URL ending in /api/v1 (as Sym's users set SYM_API_URL) does not double the path", async () => {
    handler = (_q, res) => json(res, 200, { org: { id: 'o', slug: 'acme' }, token: { id: 't', role: 'admin' } });
    for (const suffix of ['/api/v1', '/api/v1/']) {
      const c = new ApiClient({ baseUrl: base + suffix, token: 't' });
      await c.whoami();
      assert.equal(seen.at(-1)!.url, '/api/v1/whoami', suffix);
    }
  });

  it('list passes slug and type', async () => {
    handler = (_q, res) => json(res, 200, { data: [{ id: 'x' }] });
    const c = new ApiClient({ baseUrl: base, token: 't' });
    assert.deepEqual(await c.list('integrations', { slug: 'my slack', type: 'slack' }), [{ id: 'x' }]);
    assert.equal(seen.at(-1)!.url, '/api/v1/entities/integrations?slug=my+slack&type=slack');
  });

  it('list follows next_page_token to the last page', async () => {
    handler = (req, res) => {
      const token = new URL(req.url!, base).searchParams.get('page_token');
      if (token === null) json(res, 200, { data: [{ id: 'a' }, { id: 'b' }], next_page_token: 'p2' });
      else if (token === 'p2') json(res, 200, { data: [{ id: 'c' }], next_page_token: null });
      else json(res, 422, { status: 422, code: 'validation_failed', detail: 'bad token' }, 'application/problem+json');
    };
    const c = new ApiClient({ baseUrl: base, token: 't' });
    assert.deepEqual(await c.list('environments', { slug: 'prod' }), [{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    assert.deepEqual(
      seen.slice(-2).map((s) => s.url),
      ['/api/v1/entities/environments?slug=prod', '/api/v1/entities/environments?slug=prod&page_token=p2'],
    );
  });

  it('decodes problem+json into ApiError', async () => {
    handler = (_q, res) =>
      json(res, 422, { title: 'Validation failed', status: 422, code: 'validation_failed', detail: 'bad', errors: [{ pointer: '/name', detail: 'required' }] }, 'application/problem+json');
    const c = new ApiClient({ baseUrl: base, token: 't' });
    await assert.rejects(c.create('flows', {}), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 422);
      assert.equal(e.code, 'validation_failed');
      assert.deepEqual(e.errors, [{ pointer: '/name', detail: 'required' }]);
      return true;
    });
  });

  it('get returns null for an id the list does not answer; remove treats 404 as gone', async () => {
    handler = (_q, res) => json(res, 200, { data: [] });
    const c = new ApiClient({ baseUrl: base, token: 't' });
    assert.equal(await c.get('flows', 'nope'), null);
    handler = (_q, res) => json(res, 404, { title: 'Not found', status: 404, code: 'not_found' }, 'application/problem+json');
    await c.remove('flows', 'nope');
  });

  it('get reads through ?id=, and concurrent gets of a kind share one call', async () => {
    handler = (req, res) => {
      const ids = new URL(req.url!, base).searchParams.get('id')!.split(',');
      json(res, 200, { data: ids.filter((id) => id !== 'gone').map((id) => ({ id, name: `n-${id}` })) });
    };
    const c = new ApiClient({ baseUrl: base, token: 't' });
    const before = seen.length;
    const [a, b, gone] = await Promise.all([c.get('targets', 'A1'), c.get('targets', 'b2'), c.get('targets', 'gone')]);
    assert.deepEqual([a?.name, b?.name, gone], ['n-a1', 'n-b2', null]);
    assert.deepEqual(
      seen.slice(before).map((r) => r.url),
      ['/api/v1/entities/targets?id=a1%2Cb2%2Cgone'],
    );
  });

  it('retries GET on 503, not POST', async () => {
    let n = 0;
    handler = (_q, res) => (++n < 2 ? json(res, 503, { title: 'down', code: 'internal' }) : json(res, 200, { data: [{ id: 'ok' }] }));
    const c = new ApiClient({ baseUrl: base, token: 't', retryDelayMs: 1 });
    assert.deepEqual(await c.get('flows', 'ok'), { id: 'ok' });
    assert.equal(n, 2);
    n = 0;
    await assert.rejects(c.create('flows', {}), ApiError);
    assert.equal(n, 1);
  });

  it('unreachable server: a clear error naming the URL, never the token', async () => {
    const c = new ApiClient({ baseUrl: 'http://127.0.0.1:1', token: 'sekrit', retryDelayMs: 1 });
    await assert.rejects(c.whoami(), (e: unknown) => {
      assert.ok(e instanceof ApiUnreachableError);
      assert.match(e.message, /^cannot reach the OpenSym control plane at http:\/\/127\.0\.0\.1:1: /);
      assert.doesNotMatch(e.message, /sekrit/);
      return true;
    });
  });

  it('abortInFlight cancels a pending request', async () => {
    handler = () => {}; // never answers
    const c = new ApiClient({ baseUrl: base, token: 't' });
    const p = c.whoami();
    setTimeout(() => c.abortInFlight(), 20);
    await assert.rejects(p, /cancelled/);
  });

  it('keeps the connection alive between calls', async () => {
    handler = (_q, res) => json(res, 200, { data: [{ id: 'k' }] });
    let connections = 0;
    const count = () => connections++;
    server.on('connection', count);
    try {
      const c = new ApiClient({ baseUrl: base, token: 't' });
      for (let i = 0; i < 5; i++) assert.deepEqual(await c.get('flows', 'k'), { id: 'k' });
      assert.equal(connections, 1);
    } finally {
      server.off('connection', count);
    }
  });

  it('times out', async () => {
    handler = () => {};
    const c = new ApiClient({ baseUrl: base, token: 't', timeoutMs: 50, retries: 0 });
    await assert.rejects(c.whoami(), /timed out/);
  });
});
