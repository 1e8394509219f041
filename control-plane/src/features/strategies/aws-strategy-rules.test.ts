// The API refuses AWS strategies and targets that could never run (422 with the field), so the
// provider shows the problem at the attribute instead of a request failing later.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { SLACK_SETTINGS } from '../../test-support/entity-fixtures';

describe('AWS strategy and target rules in the API', () => {
  let t: TestControlPlane;
  const post = (path: string, body: object) =>
    t.request
      .post(`/api/v1/entities/${path}`)
      .set({ Authorization: `Bearer ${t.admin}` })
      .send(body);
  const created = async (path: string, body: object) => {
    const res = await post(path, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  before(async () => {
    t = await startTestControlPlane();
  });
  after(() => t?.close());

  it('a target without the settings its type needs is refused at settings, naming them', async () => {
    const res = await post('access-targets', { type: 'aws_sso_permission_set', name: 'ps', settings: { permission_set_arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1' } });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.deepEqual(res.body.errors, [
      { pointer: '/settings', detail: '`aws_sso_permission_set` targets need `settings.permission_set_arn` and `settings.account_id` (the AWS account the permission set is assigned in).' },
    ]);
    const none = await post('access-targets', { type: 'aws_iam_group', name: 'g' });
    assert.equal(none.status, 422);
    assert.deepEqual(
      none.body.errors.map((e: { pointer: string }) => e.pointer),
      ['/settings'],
    );
    const empty = await post('access-targets', { type: 'aws_sso_group', name: 'g', settings: { group_id: '' } });
    assert.equal(empty.status, 422);
    assert.equal(empty.body.errors[0].pointer, '/settings');
    assert.match(empty.body.errors[0].detail, /`aws_sso_group` targets need `settings.group_id`/);
  });

  it('a strategy whose targets or integration do not suit its type is refused at them', async () => {
    const iamGroup = await created('access-targets', { type: 'aws_iam_group', name: 'readonly', settings: { iam_group: 'readonly' } });
    const custom = await created('access-targets', { type: 'custom', name: 'app' });
    const slack = await created('integrations', { type: 'slack', name: 'ws', external_id: 'T1', settings: SLACK_SETTINGS });
    const res = await post('access-strategies', { type: 'aws_sso', name: 'sso', targets: [custom, iamGroup], integration_id: slack, settings: { instance_arn: 'arn:aws:sso:::instance/ssoins-1' } });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.code, 'validation_failed');
    assert.deepEqual(
      res.body.errors.map((e: { pointer: string; detail: string }) => [e.pointer, e.detail]),
      [
        ['/targets/0', 'target app does not suit this strategy: aws_sso strategies grant aws_sso_permission_set or aws_sso_group targets, not custom'],
        ['/targets/1', 'target readonly does not suit this strategy: aws_sso strategies grant aws_sso_permission_set or aws_sso_group targets, not aws_iam_group'],
        ['/integration_id', 'integration ws does not suit this strategy: aws_sso strategies act through a permission_context or aws_sso integration, not slack'],
      ],
    );
    const context = await created('integrations', { type: 'permission_context', name: 'iam', external_id: '123456789012', settings: { role_arn: 'arn:aws:iam::123456789012:role/x' } });
    const iam = await created('access-strategies', { type: 'aws_iam', name: 'iam', targets: [iamGroup], integration_id: context });
    // PATCH is checked on the merged result too.
    const patched = await t.request
      .patch(`/api/v1/entities/access-strategies/${iam}`)
      .set({ Authorization: `Bearer ${t.admin}` })
      .send({ targets: [iamGroup, custom] });
    assert.equal(patched.status, 422, JSON.stringify(patched.body));
    assert.equal(patched.body.errors[0].pointer, '/targets/1');
  });
  it("an aws_lambda strategy's integration_id must be a permission_context (the role that invokes, as in Sym)", async () => {
    const slack = await created('integrations', { type: 'slack', name: 'ws-lambda', external_id: 'T2', settings: SLACK_SETTINGS });
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:grant';
    const targets = [await created('access-targets', { type: 'custom', name: 'lambda-app', settings: { identifier: 'app' } })];
    const res = await post('access-strategies', { type: 'aws_lambda', name: 'lambda-slack', targets, integration_id: slack, settings: { arn } });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.errors.map((e: { pointer: string; detail: string }) => [e.pointer, e.detail]),
      [['/integration_id', 'integration ws-lambda does not suit this strategy: aws_lambda strategies act through a permission_context integration, not slack']],
    );
    const context = await created('integrations', { type: 'permission_context', name: 'lambda-ctx', external_id: '123456789012', settings: { role_arn: 'arn:aws:iam::123456789012:role/invoker' } });
    await created('access-strategies', { type: 'aws_lambda', name: 'lambda-ctx', targets, integration_id: context, settings: { arn } });
  });
});
