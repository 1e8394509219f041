// The whole path of a directory helper: a flow's on_request hook (as compose.ts wires the hook
// runner) asks Okta whether the requester is in a group, through the environment's okta
// integration and its secret, and the request is approved or denied by the answer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startOktaDouble, type OktaDouble } from '../../features/strategies/okta/testing/okta-double';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';

const TOKEN_ENV = 'SYM_SECRET_OPENSYM_TEST_DIRECTORY_OKTA_TOKEN';
const IMPL = `import { events, okta } from "sym/sdk";
export function on_request(event) {
  if (okta.is_user_in_group(event.user, { group_id: "00gops" })) return events.approval.approve();
  return events.approval.deny({ message: "only the ops group may use this flow" });
}
`;

let t: TestControlPlane;
let okta: OktaDouble;
const saved = { token: process.env[TOKEN_ENV], url: process.env.SYM_OKTA_API_URL };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function create(path: string, body: object): Promise<string> {
  const res = await t.request.post(`/api/v1/${path}`).set(bearer(t.admin)).send(body);
  assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function person(email: string): Promise<string> {
  const id = await create('users', { email, role: 'member' });
  const issued = await t.request.post(`/api/v1/users/${id}/tokens`).set(bearer(t.admin)).send({});
  assert.equal(issued.status, 201, JSON.stringify(issued.body));
  return issued.body.token;
}

before(async () => {
  okta = await startOktaDouble();
  okta.addUser({ id: '00u1', login: 'ops@example.com', email: 'ops@example.com' });
  okta.addUser({ id: '00u2', login: 'dev@example.com', email: 'dev@example.com' });
  okta.addGroup('00gops', 'ops');
  okta.addMember('00gops', '00u1');
  // Read when a hook calls the helper, as in production (the env secret source, SYM_OKTA_API_URL).
  process.env[TOKEN_ENV] = okta.token;
  process.env.SYM_OKTA_API_URL = okta.url;
  t = await startTestControlPlane();
});
after(async () => {
  await t?.close();
  await okta?.close();
  for (const [key, value] of [
    [TOKEN_ENV, saved.token],
    ['SYM_OKTA_API_URL', saved.url],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('okta.is_user_in_group in a flow hook (PGlite, Okta double)', () => {
  it("approves members of the group and denies others, through the environment's okta integration", async () => {
    const source = await create('entities/secret-sources', { type: 'env', name: 'env' });
    const secret = await create('entities/secrets', { path: TOKEN_ENV, source_id: source });
    const integration = await create('entities/integrations', { type: 'okta', name: 'okta', external_id: 'dev-1.okta.com', settings: { api_token_secret: secret } });
    const environment = await create('entities/environments', { name: 'ops', integrations: { okta_id: integration } });
    await create('entities/flows', { name: 'ops-only', implementation: IMPL, environment_id: environment, params: {} });
    const ask = async (token: string) => t.request.post('/api/v1/events/request').set(bearer(token)).send({ flow: 'ops-only', flow_inputs: {} });

    const member = await ask(await person('ops@example.com'));
    assert.equal(member.status, 201, JSON.stringify(member.body));
    assert.equal(member.body.state, 'approved');
    const other = await ask(await person('dev@example.com'));
    assert.equal(other.status, 201, JSON.stringify(other.body));
    assert.equal(other.body.state, 'denied');
    assert.ok(okta.server.requests.some((r) => r.path === '/api/v1/users/00u1/groups'));
  });
});
