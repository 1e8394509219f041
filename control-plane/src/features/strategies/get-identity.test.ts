// The flow's `get_identity(event, service_type, external_id, user)` reducer, run where Sym runs it:
// when a native strategy needs the requester's identity in its service and none is stored. Its
// answer is used as a stored identity would be; returning nothing leaves the email lookup. Through
// the whole lifecycle (API, PGlite, job queue) with the Okta double; JavaScript and Sym's Python.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startNativeLifecycle, type NativeLifecycle } from './testing/native-lifecycle';
import { startOktaDouble, type OktaDouble } from './okta/testing/okta-double';

const jsImpl = `export function get_identity(event, service_type, external_id, user) {
  if (service_type === 'okta' && external_id === 'dev-12345.okta.com' && event.payload.fields.reason) return user.email.replace('@example.com', '@corp.example');
  return null;
}
`;
const pyImpl = `from sym.sdk.annotations import reducer


@reducer
def get_identity(event, service_type, external_id, user):
    if service_type == "okta" and external_id == "dev-12345.okta.com" and event.fields["reason"]:
        return user.email.replace("@example.com", "@corp.example")
    return None
`;
const fields = [
  { name: 'reason', type: 'string', required: true },
  { name: 'duration', type: 'duration', required: true },
];

describe('get_identity in the request lifecycle (Okta double)', () => {
  let okta: OktaDouble;
  let f: NativeLifecycle;
  let strategy: string;
  let admins: string;
  let environment: string;

  before(async () => {
    okta = await startOktaDouble();
    // Known to Okta only under the corporate domain: the email lookup cannot find them.
    okta.addUser({ id: '00u3sam', login: 'sam@corp.example', email: 'sam@corp.example' });
    okta.addUser({ id: '00u4kim', login: 'kim@corp.example', email: 'kim@corp.example' });
    okta.addGroup('00gadmins', 'Admins');
    f = await startNativeLifecycle({ SYM_OKTA_API_URL: okta.url, SYM_SECRET_OKTA: okta.token });
    const integration = await f.create('integrations', { type: 'okta', name: 'okta', external_id: 'dev-12345.okta.com', settings: { api_token_secret: await f.secret('OKTA') } });
    admins = await f.create('access-targets', { type: 'okta_group', name: 'admins', settings: { group_id: '00gadmins' } });
    strategy = await f.create('access-strategies', { type: 'okta', name: 'okta', integration_id: integration, targets: [admins] });
    environment = await f.create('environments', { name: 'identity' });
  });
  after(async () => {
    await f?.close();
    await okta?.close();
  });

  const flowWith = (name: string, implementation: string) => f.create('flows', { name, implementation, environment_id: environment, params: { strategy_id: strategy, prompt_field: fields } });

  it('without get_identity, a requester whose email Okta does not know fails', async () => {
    const flow = await flowWith('plain', 'export function on_request(event) {}\n');
    const sam = await f.person('sam@example.com');
    const id = await f.request(sam.token, flow, admins);
    await f.approve(id);
    await f.drain();
    const failed = await f.get(id);
    assert.notEqual(failed.state, 'active');
    assert.match(String(failed.last_error), /unknown user|sam@example\.com/);
  });

  for (const [language, impl, email, oktaId] of [
    ['JavaScript', jsImpl, 'sam@example.com', '00u3sam'],
    ['Python', pyImpl, 'kim@example.com', '00u4kim'],
  ] as const) {
    it(`the reducer's answer (${language}) is the identity the strategy grants to and takes back from`, async () => {
      const flow = await flowWith(`mapped-${language.toLowerCase()}`, impl);
      const token = (await tokenOf(f, email)) ?? (await f.person(email)).token;
      const id = await f.request(token, flow, admins);
      await f.approve(id);
      await f.drain();
      const active = await f.get(id);
      assert.equal(active.state, 'active', String(active.last_error));
      assert.ok(okta.members('00gadmins').includes(oktaId));
      await f.revoke(id, token);
      await f.drain();
      assert.equal((await f.get(id)).state, 'done');
      assert.ok(!okta.members('00gadmins').includes(oktaId));
    });
  }
});

/** A fresh token for the existing user with `email`; undefined when there is none. */
async function tokenOf(f: NativeLifecycle, email: string): Promise<string | undefined> {
  const admin = { Authorization: `Bearer ${f.t.admin}` };
  const users = (await f.t.request.get('/api/v1/users?limit=200').set(admin)).body.data as { id: string; email: string }[];
  const user = users.find((u) => u.email === email);
  if (!user) return undefined;
  const issued = await f.t.request.post(`/api/v1/users/${user.id}/tokens`).set(admin).send({});
  return issued.body.token as string;
}
