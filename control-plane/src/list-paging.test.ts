// One paging style for every list: `limit` (1-200) and `page_token` in, `next_page_token` out
// (null on the last page), every item exactly once, for requests, audit, entities, users, tokens.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from './test-support/test-control-plane';

let t: TestControlPlane;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const get = (path: string) => t.request.get(`/api/v1${path}`).set(bearer(t.admin));
const post = async (path: string, body: object, token = t.admin) => {
  const res = await t.request.post(`/api/v1${path}`).set(bearer(token)).send(body);
  assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
  return res.body;
};

before(async () => {
  t = await startTestControlPlane();
  for (let i = 0; i < 5; i++) await post('/entities/environments', { name: `paging-${i}` });
  const env = await post('/entities/environments', { name: 'paging-flows' });
  await post('/entities/flows', { name: 'paging', implementation: 'export function on_request(event) {}\n', environment_id: env.id, params: {} });
  for (let i = 0; i < 5; i++) {
    const user = await post('/users', { email: `pager-${i}@example.com`, role: 'member' });
    const { token } = await post(`/users/${user.id}/tokens`, {});
    await post('/events/request', { flow: 'paging', flow_inputs: {} }, token);
  }
  await post('/tokens', { name: 'bot', role: 'member' });
});
after(async () => {
  await t?.close();
});

/** Walks a list with `limit`; returns the ids of each page. */
async function walk(path: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let token: string | null = null;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const res = await get(`${path}${sep}limit=${limit}${token ? `&page_token=${encodeURIComponent(token)}` : ''}`);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(Object.keys(res.body).sort(), ['data', 'next_page_token'], path);
    assert.ok(res.body.data.length <= limit);
    pages.push(res.body.data.map((x: { id: string }) => x.id));
    token = res.body.next_page_token;
  } while (token !== null);
  return pages;
}

const lists = ['/requests', '/audit', '/entities/environments', '/users', '/tokens', '/users?email=pager-3@example.com', '/tokens?user_id=00000000-0000-4000-8000-000000000000'];

describe('list paging', () => {
  for (const path of lists) {
    it(`${path}: pages of limit 2 give every item once, in the order of one big page`, async () => {
      const whole = await get(`${path}${path.includes('?') ? '&' : '?'}limit=200`);
      assert.equal(whole.status, 200, JSON.stringify(whole.body));
      assert.equal(whole.body.next_page_token, null);
      const all = whole.body.data.map((x: { id: string }) => x.id);
      const pages = await walk(path, 2);
      assert.deepEqual(pages.flat(), all);
      assert.equal(pages.length, Math.max(1, Math.ceil(all.length / 2)), 'no empty trailing page');
      assert.equal(new Set(all).size, all.length);
    });

    it(`${path}: refuses a bad limit and a page_token it did not issue`, async () => {
      const sep = path.includes('?') ? '&' : '?';
      for (const limit of ['0', '201', 'x', '1.5']) {
        const res = await get(`${path}${sep}limit=${limit}`);
        assert.equal(res.status, 422, `${path} limit=${limit}`);
        assert.deepEqual(
          res.body.errors.map((e: { pointer: string }) => e.pointer),
          ['/limit'],
        );
      }
      const res = await get(`${path}${sep}page_token=bogus!`);
      assert.equal(res.status, 422);
      assert.deepEqual(
        res.body.errors.map((e: { pointer: string }) => e.pointer),
        ['/page_token'],
      );
    });
  }

  it('has enough items that limit 2 takes several pages', async () => {
    for (const path of ['/requests', '/audit', '/entities/environments', '/users', '/tokens']) assert.ok((await walk(path, 2)).length >= 3, path);
  });

  it('defaults to 50 items, and an ?id= list of up to 100 ids to one page of them all', async () => {
    for (let i = 0; i < 50; i++) await post('/entities/environments', { name: `bulk-${i}` });
    const first = await get('/entities/environments');
    assert.equal(first.body.data.length, 50);
    assert.notEqual(first.body.next_page_token, null);
    const ids = (await get('/entities/environments?limit=200')).body.data.map((e: { id: string }) => e.id);
    assert.ok(ids.length > 50);
    const byId = await get(`/entities/environments?id=${ids.join(',')}`);
    assert.equal(byId.body.data.length, ids.length);
    assert.equal(byId.body.next_page_token, null);
  });
});
