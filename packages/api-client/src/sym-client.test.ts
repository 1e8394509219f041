import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collect, createSymClient, SymApiError } from './index';

/** A fetch that answers from `respond` and records every request it saw. */
function fakeFetch(respond: (req: Request, n: number) => Response | Promise<Response>) {
  const seen: Request[] = [];
  const fetch = async (req: Request) => {
    seen.push(req.clone());
    return respond(req, seen.length - 1);
  };
  return { fetch, seen };
}

const json = (status: number, body: unknown, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

const user = (n: number) => ({ id: `00000000-0000-4000-8000-00000000000${n}`, email: `u${n}@example.com`, role: 'member', identities: {}, created_at: '2026-01-01T00:00:00Z' });

describe('createSymClient', () => {
  test('sends the bearer token to the base URL', async () => {
    const { fetch, seen } = fakeFetch(() => json(200, { org: { id: 'o', slug: 'default' }, token: { id: 't', role: 'admin', user_id: null }, user: null }));
    const client = createSymClient({ baseUrl: 'http://cp.test/', token: 'sym_abc', fetch });
    const me = await client.whoami();
    assert.equal(me.org.slug, 'default');
    assert.equal(seen[0].url, 'http://cp.test/api/v1/whoami');
    assert.equal(seen[0].headers.get('authorization'), 'Bearer sym_abc');
  });

  test('list helpers follow next_page_token until it is null, passing the filters on every page', async () => {
    const pages: Record<string, { data: unknown[]; next_page_token: string | null }> = {
      '': { data: [user(1), user(2)], next_page_token: 'p2' },
      p2: { data: [user(3)], next_page_token: 'p3' },
      p3: { data: [user(4)], next_page_token: null },
    };
    const { fetch, seen } = fakeFetch((req) => json(200, pages[new URL(req.url).searchParams.get('page_token') ?? '']));
    const client = createSymClient({ baseUrl: 'http://cp.test', token: 't', fetch });
    const users = await collect(client.users.list({ email: 'u', limit: 2 }));
    assert.deepEqual(
      users.map((u) => u.email),
      ['u1@example.com', 'u2@example.com', 'u3@example.com', 'u4@example.com'],
    );
    assert.deepEqual(
      seen.map((r) => new URL(r.url).search),
      ['?email=u&limit=2', '?email=u&limit=2&page_token=p2', '?email=u&limit=2&page_token=p3'],
    );
  });

  test('a list is fetched lazily: stopping early fetches no further page', async () => {
    const { fetch, seen } = fakeFetch(() => json(200, { data: [user(1), user(2)], next_page_token: 'again' }));
    const client = createSymClient({ baseUrl: 'http://cp.test', token: 't', fetch });
    assert.equal((await collect(client.users.list(), 2)).length, 2);
    assert.equal(seen.length, 1);
  });

  test('a page token that repeats is an error, not an endless loop', async () => {
    const { fetch } = fakeFetch(() => json(200, { data: [user(1)], next_page_token: 'same' }));
    const client = createSymClient({ baseUrl: 'http://cp.test', token: 't', fetch });
    await assert.rejects(collect(client.users.list()), /page token "same" twice/);
  });

  test('a problem+json answer becomes a SymApiError with code, status, detail and field pointers', async () => {
    const problem = {
      type: 'https://opensym.dev/problems/validation_failed',
      title: 'Validation failed',
      status: 422,
      code: 'validation_failed',
      detail: 'The body has 1 invalid field.',
      errors: [{ pointer: '/flow_inputs/reason', detail: 'is required' }],
    };
    const { fetch } = fakeFetch(() => json(422, problem, 'application/problem+json'));
    const client = createSymClient({ baseUrl: 'http://cp.test', token: 't', fetch });
    const err = await client.requests.create({ flow: 'f', flow_inputs: {} }).then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof SymApiError);
    assert.equal(err.code, 'validation_failed');
    assert.equal(err.status, 422);
    assert.equal(err.title, 'Validation failed');
    assert.equal(err.detail, 'The body has 1 invalid field.');
    assert.deepEqual(err.errors, [{ pointer: '/flow_inputs/reason', detail: 'is required' }]);
    assert.deepEqual(err.problem, problem);
    assert.equal(err.message, 'Validation failed: The body has 1 invalid field.');
  });

  test('an answer that is not a problem still becomes a SymApiError (code http_error, status text as title)', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } }));
    const client = createSymClient({ baseUrl: 'http://cp.test', token: 't', fetch });
    await assert.rejects(client.users.get('x'), (err: unknown) => {
      assert.ok(err instanceof SymApiError);
      assert.equal(err.code, 'http_error');
      assert.equal(err.status, 502);
      assert.equal(err.title, 'Bad Gateway');
      assert.equal(err.detail, '<html>bad gateway</html>');
      assert.deepEqual(err.errors, []);
      return true;
    });
  });

  test('an empty error body (e.g. 404 without content) is still an error', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 404, statusText: 'Not Found' }));
    const client = createSymClient({ baseUrl: 'http://cp.test', token: 't', fetch });
    await assert.rejects(client.tokens.revoke('x'), (err: unknown) => err instanceof SymApiError && err.status === 404);
  });

  test('approve sends an Idempotency-Key and retries a network error and a 5xx with the same key', async () => {
    const request = { id: 'r', state: 'approved' };
    const { fetch, seen } = fakeFetch((_req, n) => {
      if (n === 0) throw new TypeError('fetch failed');
      if (n === 1) return json(503, { type: 'about:blank', title: 'Unavailable', status: 503, code: 'internal' }, 'application/problem+json');
      return json(200, request);
    });
    const client = createSymClient({ baseUrl: 'http://cp.test', token: 't', fetch, retryDelayMs: () => 0 });
    const answer = await client.requests.approve('r', { reason: 'ok' });
    assert.equal(answer.state, 'approved');
    assert.equal(seen.length, 3);
    const keys = seen.map((r) => r.headers.get('idempotency-key'));
    assert.ok(keys[0] && keys[0].length > 0);
    assert.deepEqual(new Set(keys).size, 1);
    assert.deepEqual(await seen[2].json(), { reason: 'ok' });
    assert.equal(new URL(seen[2].url).pathname, '/api/v1/requests/r/approve');
  });

  test('a given Idempotency-Key is sent as is; a 4xx is not retried', async () => {
    const { fetch, seen } = fakeFetch(() => json(409, { type: 'about:blank', title: 'Invalid state', status: 409, code: 'invalid_state' }, 'application/problem+json'));
    const client = createSymClient({ baseUrl: 'http://cp.test', token: 't', fetch, retryDelayMs: () => 0 });
    await assert.rejects(client.requests.deny('r', {}, { idempotencyKey: 'key-1' }), (err: unknown) => err instanceof SymApiError && err.code === 'invalid_state');
    assert.equal(seen.length, 1);
    assert.equal(seen[0].headers.get('idempotency-key'), 'key-1');
  });

  test('a call that gets no answer fails with a TimeoutError after timeoutMs, and an idempotent one is retried with the same key', async (t) => {
    const { fetch, seen } = fakeFetch((req, n) =>
      n < 2 ? new Promise<Response>((_resolve, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason))) : json(201, { id: 'r', state: 'pending' }),
    );
    const client = createSymClient({ baseUrl: 'http://cp.test', token: 't', fetch, timeoutMs: 20, retries: 1, retryDelayMs: () => 0 });
    // AbortSignal.timeout does not keep the event loop alive (a real socket would): this does.
    const keepAlive = setInterval(() => {}, 1000);
    t.after(() => clearInterval(keepAlive));
    await assert.rejects(client.whoami(), (err: unknown) => (err as Error).name === 'TimeoutError');
    const created = await client.requests.create({ flow: 'f' });
    assert.equal(created.state, 'pending');
    assert.equal(seen.length, 3);
    assert.equal(seen[1].headers.get('idempotency-key'), seen[2].headers.get('idempotency-key'));
  });
});
