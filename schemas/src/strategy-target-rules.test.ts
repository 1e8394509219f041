// Plan-time checks of native target types (the provider runs validateAgainstSpec at validate
// time) and the suitability rules the API applies to strategies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { targetResource } from './resources/target';
import { strategyReferenceProblems, unsuitableIntegration, unsuitableTarget } from './strategy-target-rules';
import { unknownMarker, validateAgainstSpec } from './validate-value';

const problems = (value: Record<string, unknown>) => validateAgainstSpec(targetResource, { name: 't', ...value }).map((p) => [p.path, p.message.split('.')[0]]);

describe('target settings by type', () => {
  it('reports a missing or empty setting at settings, with the message naming what each type needs', () => {
    assert.deepEqual(problems({ type: 'aws_sso_permission_set', settings: { permission_set_arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1', account_id: '' } }), [
      [['settings'], '`aws_sso_permission_set` targets need `settings'],
    ]);
    assert.deepEqual(problems({ type: 'aws_iam_group', settings: null }), [[['settings'], '`aws_iam_group` targets need `settings']]);
    assert.deepEqual(problems({ type: 'aws_sso_group', settings: { other: 'x' } }), [[['settings'], '`aws_sso_group` targets need `settings']]);
  });

  it('accepts complete settings, types without rules, and values not known until apply', () => {
    assert.deepEqual(problems({ type: 'aws_sso_group', settings: { group_id: 'g-1' } }), []);
    assert.deepEqual(problems({ type: 'custom', settings: null }), []);
    assert.deepEqual(problems({ type: 'aws_iam_group', settings: { iam_group: unknownMarker } }), []);
    assert.deepEqual(problems({ type: 'aws_iam_group', settings: unknownMarker }), []);
    assert.deepEqual(problems({ type: unknownMarker, settings: {} }), []);
  });
});

describe('strategy suitability', () => {
  it('aws_sso grants permission sets and SSO groups, aws_iam IAM groups; other types are not restricted here', () => {
    assert.equal(unsuitableTarget('aws_sso', 'aws_sso_permission_set'), undefined);
    assert.equal(unsuitableTarget('aws_sso', 'aws_sso_group'), undefined);
    assert.equal(unsuitableTarget('aws_sso', 'aws_iam_group'), 'aws_sso strategies grant aws_sso_permission_set or aws_sso_group targets, not aws_iam_group');
    assert.equal(unsuitableTarget('aws_iam', 'custom'), 'aws_iam strategies grant aws_iam_group targets, not custom');
    assert.equal(unsuitableTarget('custom', 'aws_iam_group'), undefined);
    assert.equal(unsuitableIntegration('aws_iam', 'permission_context'), undefined);
    assert.match(unsuitableIntegration('aws_sso', 'slack') ?? '', /act through a permission_context or aws_sso integration, not slack/);
  });

  it('aws_lambda acts through a permission_context only (the role that invokes, as in Sym); custom through any', () => {
    assert.equal(unsuitableIntegration('aws_lambda', 'permission_context'), undefined);
    assert.equal(unsuitableIntegration('aws_lambda', 'slack'), 'aws_lambda strategies act through a permission_context integration, not slack');
    assert.equal(unsuitableIntegration('custom', 'slack'), undefined);
  });
});

describe('strategyReferenceProblems (the wording of the API 422 and of the provider plan)', () => {
  it('points at each unsuitable target and the integration; references not known are skipped', () => {
    const problems = strategyReferenceProblems('aws_iam', {
      targets: [{ id: 't1', name: 'ro', type: 'aws_iam_group' }, undefined, { id: 't3', name: null, type: 'custom' }],
      integrationSet: true,
      integration: { id: 'i1', name: 'ws', type: 'slack' },
    });
    assert.deepEqual(problems, [
      { pointer: '/targets/2', detail: 'target t3 does not suit this strategy: aws_iam strategies grant aws_iam_group targets, not custom' },
      { pointer: '/integration_id', detail: 'integration ws does not suit this strategy: aws_iam strategies act through a permission_context or aws_iam integration, not slack' },
    ]);
    assert.deepEqual(strategyReferenceProblems('okta', { targets: [], integrationSet: true }), [], 'an integration set but not known yet');
  });

  it('a type that needs an integration and has none is refused at /integration_id', () => {
    assert.deepEqual(strategyReferenceProblems('github', { targets: [], integrationSet: false }), [
      { pointer: '/integration_id', detail: 'is required: github strategies act through a github integration (its credentials)' },
    ]);
    assert.deepEqual(strategyReferenceProblems('aws_sso', { targets: [], integrationSet: false }), []);
  });
});
