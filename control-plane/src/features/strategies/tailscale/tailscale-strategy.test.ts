// `tailscale` strategies through the whole request lifecycle (API, PGlite, job queue) against the
// Tailscale double: the requester is added to a policy-file group and removed again with the
// administrators' comments kept, a concurrent policy edit (412) is read again, 429 and 5xx are
// retried, a token that may not write the policy file is shown on the request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startNativeLifecycle, type NativeLifecycle } from '../testing/native-lifecycle';
import { startTailscaleDouble, type TailscaleDouble } from './testing/tailscale-double';

const POLICY = `{
  // Engineers reach the dev servers.
  "groups": {
    "group:eng": ["alice@example.com"], // permanent members
    "group:prod-access": [],
  },
  "acls": [
    {"action": "accept", "src": ["group:prod-access"], "dst": ["tag:prod:*"]},
  ],
}
`;

describe('tailscale strategy in the request lifecycle (Tailscale double)', () => {
  let ts: TailscaleDouble;
  let f: NativeLifecycle;
  let flow: string;
  let readOnlyFlow: string;
  let prod: string;
  let missing: string;
  let dev: { id: string; token: string };

  before(async () => {
    ts = await startTailscaleDouble('example.com', POLICY);
    f = await startNativeLifecycle({ SYM_TAILSCALE_API_URL: ts.url, SYM_SECRET_TS: ts.token, SYM_SECRET_TS_RO: ts.readOnlyToken });
    const integration = await f.create('integrations', { type: 'tailscale', name: 'tailnet', external_id: 'example.com', settings: { api_token_secret: await f.secret('TS') } });
    const readOnly = await f.create('integrations', { type: 'tailscale', name: 'tailnet-ro', external_id: 'example.com', settings: { api_token_secret: await f.secret('TS_RO') } });
    prod = await f.create('access-targets', { type: 'tailscale_group', name: 'prod-access', settings: { group_name: 'prod-access' } });
    missing = await f.create('access-targets', { type: 'tailscale_group', name: 'no-such-group', settings: { group_name: 'group:nope' } });
    flow = await f.flow('tailscale', await f.create('access-strategies', { type: 'tailscale', name: 'tailscale', integration_id: integration, targets: [prod, missing] }));
    readOnlyFlow = await f.flow('tailscale-ro', await f.create('access-strategies', { type: 'tailscale', name: 'tailscale-ro', integration_id: readOnly, targets: [prod] }));
    dev = await f.person('dev@example.com');
  });
  after(async () => {
    await f?.close();
    await ts?.close();
  });

  it('adds the requester to the group and removes them, keeping the rest of the policy file as written', async () => {
    const id = await f.request(dev.token, flow, prod);
    await f.approve(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.deepEqual(ts.members('prod-access'), ['dev@example.com']);
    assert.ok(ts.policy().includes('// permanent members') && ts.policy().includes('// Engineers reach the dev servers.'));
    await f.revoke(id, dev.token);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.deepEqual(ts.members('prod-access'), []);
    assert.equal(ts.policy(), POLICY, 'the policy file is back to what the administrators wrote, byte for byte');
    assert.ok(f.lines.every((line) => !line.includes(ts.token)));
  });

  it('an edit made by someone else between read and write (412) is read again, not overwritten', async () => {
    ts.raceNextWrite();
    const id = await f.request(dev.token, flow, prod);
    await f.approve(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.ok(ts.policy().includes('// edited meanwhile by an admin'), 'the concurrent edit survived');
    assert.deepEqual(ts.members('prod-access'), ['dev@example.com']);
    assert.ok(ts.server.requests.some((r) => r.method === 'POST' && r.status === 412));
    await f.revoke(id, dev.token);
    await f.drain();
    assert.deepEqual(ts.members('prod-access'), []);
  });

  it('429 and 500 are retried on both steps', async () => {
    ts.fail('POST', 429);
    ts.fail('GET', 500);
    const id = await f.request(dev.token, flow, prod);
    await f.approve(id);
    await f.drain();
    const active = await f.get(id);
    assert.equal(active.state, 'active');
    const errors = active.events.map((e) => String(e.data.error ?? '')).filter(Boolean);
    assert.ok(
      errors.some((e) => /HTTP 429 \(rate limit exceeded\); rate limited, retry after 1 s/.test(e)),
      JSON.stringify(errors),
    );
    assert.ok(errors.some((e) => /HTTP 500/.test(e)));
    ts.fail('POST', 503);
    await f.revoke(id, dev.token);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.deepEqual(ts.members('prod-access'), []);
  });

  it('a group missing from the policy file and a token that may not write it fail the request saying what to fix', async () => {
    const noGroup = await f.request(dev.token, flow, missing);
    await f.approve(noGroup);
    await f.drain();
    const failed = await f.get(noGroup);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.last_error), /the tailnet policy file has no group:nope: add the group/);

    const denied = await f.request(dev.token, readOnlyFlow, prod);
    await f.approve(denied);
    await f.drain();
    const refused = await f.get(denied);
    assert.equal(refused.state, 'failed');
    assert.match(String(refused.last_error), /HTTP 403 .*missing permission: .*policy_file scope/);
  });
});
