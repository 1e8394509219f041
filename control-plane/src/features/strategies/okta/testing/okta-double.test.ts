// The Okta double driven by the real SDK beyond what the strategy uses: group members paged by
// the `Link: rel="next"` header (what `okta.users_in_group` style helpers rely on), and the
// SDK's own 429 handling reading X-Rate-Limit-Reset.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';
import { startOktaDouble, type OktaDouble } from './okta-double';

let okta: OktaDouble;
before(async () => {
  okta = await startOktaDouble();
  okta.addGroup('00gbig', 'Big');
  for (let i = 0; i < 250; i += 1) okta.addUser({ id: `00u${i}`, login: `u${i}@example.com`, email: `u${i}@example.com` });
});
after(() => okta.close());

const client = (maxRetries: number) => new Client({ orgUrl: okta.url, token: okta.token, cacheMiddleware: null, requestExecutor: new DefaultRequestExecutor({ maxRetries, requestTimeout: 0 }) });

test('listGroupUsers follows the Link header across pages', async () => {
  const sdk = client(0);
  for (let i = 0; i < 250; i += 1) await sdk.groupApi.assignUserToGroup({ groupId: '00gbig', userId: `00u${i}` });
  okta.server.requests.length = 0;
  const seen: string[] = [];
  const collection = await sdk.groupApi.listGroupUsers({ groupId: '00gbig', limit: 100 });
  await collection.each((user) => void seen.push(String(user.id)));
  assert.equal(seen.length, 250);
  assert.deepEqual(seen.slice(0, 2), ['00u0', '00u1']);
  assert.equal(okta.server.requests.filter((r) => r.path === '/api/v1/groups/00gbig/users').length, 3);
});

test('the SDK retries a 429 by itself when its retries are on (the strategy turns them off)', async () => {
  okta.rateLimit('GET', /^\/api\/v1\/users\/00u1$/, 1, 0);
  const user = await client(1).userApi.getUser({ userId: '00u1' });
  assert.equal(user.profile?.login, 'u1@example.com');
  await assert.rejects(
    (okta.rateLimit('GET', /^\/api\/v1\/users\/00u2$/, 1, 0), client(0).userApi.getUser({ userId: '00u2' })),
    (e: { status?: number; errorCode?: string }) => e.status === 429 && e.errorCode === 'E0000047',
  );
});
