import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startPagerDutyDouble, type PagerDutyDouble } from '../../test-support/pagerduty-double';
import { createPagerDutyClient, pagerDutyApiUrlFromEnv, PagerDutyError, type KnownUser, type PagerDutyClientOptions } from './pagerduty-client';

let pd: PagerDutyDouble;
const opensymUsers: KnownUser[] = [
  { id: '11111111-1111-4111-8111-111111111111', email: 'mgr.one@example.com', identities: { slack: 'U1' } },
  { id: '22222222-2222-4222-8222-222222222222', email: 'mgr.two@example.com', identities: {} },
];
let asked: string[][] = [];

const client = (overrides: Partial<PagerDutyClientOptions> = {}) =>
  createPagerDutyClient({
    baseUrl: pd.url,
    readSecret: async () => pd.token,
    findUsersByEmail: async (emails) => {
      asked.push(emails);
      return opensymUsers.filter((u) => emails.includes(u.email));
    },
    ...overrides,
  });

before(async () => {
  pd = await startPagerDutyDouble({ token: 'pd-secret-token-123' });
});
after(async () => {
  await pd?.close();
});
beforeEach(() => {
  pd.requests.length = 0;
  asked = [];
  pd.users = [
    { id: 'PONE', name: 'Morgan One', email: 'Mgr.One@example.com' },
    { id: 'PTWO', name: 'Robin Two', email: 'mgr.two@example.com' },
    { id: 'POUT', name: 'Outside', email: 'contractor@elsewhere.test' },
  ];
  pd.oncalls = [
    { userId: 'PONE', escalationPolicyId: 'EP1', scheduleId: 'SMGR', escalationLevel: 1 },
    { userId: 'PTWO', escalationPolicyId: 'EP1', scheduleId: 'SMGR', escalationLevel: 2 },
    { userId: 'POUT', escalationPolicyId: 'EP2', scheduleId: 'SOTHER' },
    { userId: 'PTWO', escalationPolicyId: 'EP2', scheduleId: null },
  ];
});

describe('PagerDuty client (against the local double)', () => {
  it('returns the on-call users of a schedule as OpenSym users, by email', async () => {
    const users = await client().onCall({ schedule: 'SMGR' });
    assert.deepEqual(users, [
      { id: opensymUsers[0]!.id, email: 'mgr.one@example.com', username: 'mgr.one@example.com', first_name: 'Morgan', last_name: 'One', identities: { slack: 'U1', pagerduty: 'PONE' } },
      { id: opensymUsers[1]!.id, email: 'mgr.two@example.com', username: 'mgr.two@example.com', first_name: 'Robin', last_name: 'Two', identities: { pagerduty: 'PTWO' } },
    ]);
    assert.deepEqual(asked, [['mgr.one@example.com', 'mgr.two@example.com']]);
  });

  it("sends PagerDuty's headers and query parameters", async () => {
    await client().onCall({ schedule: 'SMGR' });
    const [req] = pd.requests;
    assert.equal(req!.path, '/oncalls');
    assert.equal(req!.headers.authorization, 'Token token=pd-secret-token-123');
    assert.equal(req!.headers.accept, 'application/vnd.pagerduty+json;version=2');
    assert.deepEqual(req!.query, [
      ['include[]', 'users'],
      ['schedule_ids[]', 'SMGR'],
      ['limit', '100'],
      ['offset', '0'],
    ]);
  });

  it('looks up by escalation policy, keeps people without an OpenSym account, and lists each person once', async () => {
    pd.oncalls.push({ userId: 'POUT', escalationPolicyId: 'EP2', escalationLevel: 2, scheduleId: 'SOTHER2' });
    const users = await client().onCall({ escalation_policy: 'EP2' });
    assert.deepEqual(
      users.map((u) => [u.id, u.email, u.identities]),
      [
        [undefined, 'contractor@elsewhere.test', { pagerduty: 'POUT' }],
        [opensymUsers[1]!.id, 'mgr.two@example.com', { pagerduty: 'PTWO' }],
      ],
    );
    assert.deepEqual(
      pd.requests[0]!.query.find(([k]) => k === 'escalation_policy_ids[]'),
      ['escalation_policy_ids[]', 'EP2'],
    );
  });

  it('follows offset pagination until `more` is false', async () => {
    pd.users = Array.from({ length: 7 }, (_, i) => ({ id: `P${i}`, name: `Person ${i}`, email: `p${i}@example.com` }));
    pd.oncalls = pd.users.map((u) => ({ userId: u.id, escalationPolicyId: 'EP', scheduleId: 'SBIG' }));
    const users = await client({ pageSize: 3 }).onCall({ schedule: 'SBIG' });
    assert.deepEqual(
      users.map((u) => u.email),
      pd.users.map((u) => u.email),
    );
    assert.deepEqual(
      pd.requests.map((r) => new URLSearchParams(r.query).get('offset')),
      ['0', '3', '6'],
    );
  });

  it('answers is_on_call by PagerDuty id or by email', async () => {
    const c = client();
    assert.equal(await c.isOnCall({ email: 'nobody@example.com', identities: { pagerduty: 'PONE' } }, { schedule: 'SMGR' }), true);
    assert.equal(await c.isOnCall({ email: 'MGR.TWO@example.com' }, { schedule: 'SMGR' }), true);
    assert.equal(await c.isOnCall({ email: 'contractor@elsewhere.test' }, { schedule: 'SMGR' }), false);
    assert.equal(await c.isOnCall({ email: 'contractor@elsewhere.test' }, { escalation_policy: 'EP2' }), true);
    assert.equal(await c.isOnCall({}, { schedule: 'SMGR' }), false);
    assert.deepEqual(await c.onCall({ schedule: 'SEMPTY' }), []);
  });

  it('reports errors clearly and never with the token', async () => {
    const wrongToken = client({ readSecret: async () => 'wrong-token-456' });
    await assert.rejects(wrongToken.onCall({ schedule: 'SMGR' }), (e: PagerDutyError) => {
      assert.equal(e.status, 401);
      assert.match(e.message, /PagerDuty answered 401 to GET \/oncalls: Unauthorized \(check the API token/);
      assert.ok(!e.message.includes('wrong-token-456'));
      return true;
    });
    pd.failNext(429, 'Rate Limit Exceeded', { 'retry-after': '1' });
    await assert.rejects(client().onCall({ schedule: 'SMGR' }), /PagerDuty answered 429 to GET \/oncalls: Rate Limit Exceeded \(rate limited/);
    await assert.rejects(client().onCall({}), /needs a schedule or an escalation_policy/);
    await assert.rejects(client({ readSecret: async () => Promise.reject(new Error('secret s1: environment variable PD_TOKEN is not set')) }).onCall({ schedule: 'S' }), /PD_TOKEN is not set/);
    const closed = await startPagerDutyDouble();
    await closed.close();
    await assert.rejects(client({ baseUrl: closed.url }).onCall({ schedule: 'S' }), /PagerDuty could not be reached/);
  });

  it('refuses a reply without user emails (include[]=users not honoured)', async () => {
    const stripEmails: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const body = (await res.json()) as { oncalls: { user: Record<string, unknown> }[] };
      for (const o of body.oncalls) delete o.user.email;
      return new Response(JSON.stringify(body), { status: res.status, headers: { 'content-type': 'application/json' } });
    };
    await assert.rejects(client({ fetch: stripEmails }).onCall({ schedule: 'SMGR' }), /without their email/);
  });

  it('keeps a path prefix of the base URL, and reads the base URL from the environment', async () => {
    await assert.rejects(client({ baseUrl: `${pd.url}/prefix` }).onCall({ schedule: 'SMGR' }), /404/);
    assert.equal(pd.requests.at(-1)!.path, '/prefix/oncalls');
    assert.equal(pagerDutyApiUrlFromEnv({}), 'https://api.pagerduty.com');
    assert.equal(pagerDutyApiUrlFromEnv({ SYM_PAGERDUTY_API_URL: 'http://127.0.0.1:9' }), 'http://127.0.0.1:9');
  });
});
