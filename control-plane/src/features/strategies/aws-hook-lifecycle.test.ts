// Hooks that use Sym's aws_iam helper and raise SymException, through the whole request
// lifecycle (API, PGlite, the control plane's own sandbox and AWS door) against moto: the
// environment's integrations decide whose role signs the calls and are visible to the hook as
// event.flow.environment.integrations; a SymException is the request's error as written.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AddUserToGroupCommand, CreateGroupCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { type AwsLifecycle, startAwsLifecycle } from './aws-lifecycle-fixture';

const IAM_ROLE = 'arn:aws:iam::123456789012:role/sym/opensym-hook-iam';

const GATE_JS = `
import { aws_iam, events, SymException } from 'sym/sdk';
export function on_request(event) {
  if (!aws_iam.is_user_in_group(event.user, { group_name: 'hook-oncall' })) {
    throw new SymException('Only on-call engineers may request prod (ask in ' + event.flow.environment.integrations.aws_iam.name + ')');
  }
  return events.approval.approve();
}
`;

const GATE_PY = `
from sym.sdk.annotations import hook
from sym.sdk.integrations import aws_iam
from sym.sdk.exceptions import SymException
from sym.sdk.templates import ApprovalTemplate

@hook
def on_request(event):
    if not aws_iam.is_user_in_group(event.user, group_name="hook-oncall"):
        raise SymException("Only on-call engineers may request prod (ask in " + event.flow.environment.integrations["aws_iam"].name + ")")
    return ApprovalTemplate.approve()
`;

const SHOW_ENV_JS = `
import { SymException } from 'sym/sdk';
export function on_request(event) {
  throw new SymException(JSON.stringify(event.flow.environment));
}
`;

describe('aws_iam hook helper and SymException in the request lifecycle (moto)', () => {
  let f: AwsLifecycle;
  let iam: IAMClient;
  let environment: string;
  let custom: string;
  const ask = async (flow: string, email: string, identities?: Record<string, string>) => {
    const who = await f.person(email, identities);
    return f.t.request
      .post('/api/v1/events/request')
      .set({ Authorization: `Bearer ${who.token}` })
      .send({ flow, flow_inputs: { reason: 'testing', duration: '1h' } });
  };

  before(async () => {
    f = await startAwsLifecycle('dev@example.com');
    iam = new IAMClient(f.moto.clientConfig);
    for (const name of ['hook-ana', 'hook-bo']) await iam.send(new CreateUserCommand({ UserName: name }));
    await iam.send(new CreateGroupCommand({ GroupName: 'hook-oncall' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'hook-oncall', UserName: 'hook-ana' }));
    const context = await f.create('entities/integrations', { type: 'permission_context', name: 'iam-hooks', external_id: '123456789012', settings: { role_arn: IAM_ROLE } });
    custom = await f.create('entities/integrations', { type: 'custom', name: 'victorops', external_id: 'api-1', settings: { allowed_hosts: 'api.victorops.com', secret_ids_json: '[]' } });
    environment = await f.create('entities/environments', { name: 'hooks', integrations: { aws_iam_id: context, victorops_id: custom } });
    const params = {
      prompt_field: [
        { name: 'reason', type: 'string', required: true },
        { name: 'duration', type: 'duration', required: true },
      ],
    };
    await f.create('entities/flows', { name: 'gate-js', implementation: GATE_JS, environment_id: environment, params });
    await f.create('entities/flows', { name: 'gate-py', implementation: GATE_PY, environment_id: environment, params });
    await f.create('entities/flows', { name: 'show-env', implementation: SHOW_ENV_JS, environment_id: environment, params });
  });
  after(async () => {
    await f?.close();
  });

  for (const flow of ['gate-js', 'gate-py']) {
    it(`${flow}: a member of the IAM group is approved by the hook, signed by the environment's aws_iam role`, async () => {
      f.principals.length = 0;
      // By email (the IAM user is the email's local part), then by the user's stored aws_iam identity.
      const res = flow === 'gate-js' ? await ask(flow, 'hook-ana@example.com') : await ask(flow, 'ana.py@example.com', { aws_iam: 'hook-ana' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.state, 'approved');
      assert.deepEqual([...new Set(f.principals.map((p) => p.principal))], [IAM_ROLE]);
      assert.ok(f.proxy.calls.some((c) => c.service === 'iam' && c.operation === 'GetGroup' && c.accessKeyId === f.principals[0]!.credentials!.accessKeyId));
    });

    it(`${flow}: anyone else gets the hook's own SymException message, not an internal error`, async () => {
      const res = await ask(flow, `hook-bo+${flow}@example.com`);
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.code, 'hook_failed');
      assert.equal(res.body.detail, 'Only on-call engineers may request prod (ask in iam-hooks)');
    });
  }

  it('event.flow.environment names its integrations by role with their type, external id and settings, without secrets', async () => {
    const res = await ask('show-env', 'hook-env@example.com');
    assert.equal(res.status, 422, JSON.stringify(res.body));
    const view = JSON.parse(res.body.detail as string);
    assert.equal(view.name, 'hooks');
    assert.deepEqual(Object.keys(view.integrations).sort(), ['aws_iam', 'victorops']);
    assert.deepEqual(view.integrations.victorops, { id: custom, name: 'victorops', type: 'custom', external_id: 'api-1', settings: { allowed_hosts: 'api.victorops.com' } });
    assert.equal(view.integrations.aws_iam.settings.role_arn, IAM_ROLE);
  });
});
