// Types Sym accepts but this version cannot act on yet are refused at validate time with a
// message that says so, and every other listed type still validates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entityJsonSchema } from './generate/entity-json-schema';
import { resourceByType } from './registry';
import { integrationTypes, integrationTypesNotSupportedYet } from './resources/integration';
import { strategyTypes, strategyTypesNotSupportedYet } from './resources/strategy';
import { targetTypes, targetTypesNotSupportedYet } from './resources/target';
import { unknownMarker, validateAgainstSpec } from './validate-value';

const cases = [
  { resource: 'sym_strategy', all: strategyTypes, refused: strategyTypesNotSupportedYet, base: { name: 's', targets: [] } },
  { resource: 'sym_target', all: targetTypes, refused: targetTypesNotSupportedYet, base: { name: 't' } },
  { resource: 'sym_integration', all: integrationTypes, refused: integrationTypesNotSupportedYet, base: { name: 'i', external_id: 'x' } },
] as const;

for (const { resource, all, refused, base } of cases) {
  test(`${resource}: types not supported yet are refused at "type", the others accepted`, () => {
    const spec = resourceByType(resource)!;
    for (const type of all) {
      // Only the type is in question here (type-specific settings have rules of their own).
      const problems = validateAgainstSpec(spec, { ...base, type }).filter((p) => p.path[0] === 'type');
      if ((refused as readonly string[]).includes(type)) {
        assert.equal(problems.length, 1, `${type}: ${JSON.stringify(problems)}`);
        assert.deepEqual(problems[0].path, ['type']);
        assert.match(problems[0].message, new RegExp(`^"${type}" is not supported yet by OpenSym \\(supported: `));
        assert.ok(!problems[0].message.slice(problems[0].message.indexOf('(')).includes(`"${type}"`), 'the refused type is not listed as supported');
      } else {
        assert.deepEqual(problems, [], type);
      }
    }
  });

  test(`${resource}: the API schema documents every type and excludes the refused ones`, () => {
    const schema = entityJsonSchema(resourceByType(resource)!, 'create') as { properties: { type: { enum: string[]; not?: { enum: string[] } } } };
    assert.deepEqual(schema.properties.type.enum, [...all]);
    assert.deepEqual(schema.properties.type.not?.enum ?? [], [...refused]);
  });
}

test('Sym\'s google_group and onelogin strategies, onelogin_role targets and knowbe4 integrations are recognised (refused or run, never "must be one of")', () => {
  for (const [resource, type] of [
    ['sym_strategy', 'google_group'],
    ['sym_strategy', 'onelogin'],
    ['sym_target', 'onelogin_role'],
    ['sym_integration', 'knowbe4'],
  ] as const) {
    const problems = validateAgainstSpec(resourceByType(resource)!, { name: 'n', targets: [], external_id: 'x', type });
    assert.ok(
      problems.every((p) => !p.message.startsWith('Must be one of')),
      `${resource} ${type}: ${JSON.stringify(problems)}`,
    );
  }
});

test('type-specific settings: a target or integration missing what its strategy needs is refused at "settings" with the rule\'s message', () => {
  const target = resourceByType('sym_target')!;
  const integration = resourceByType('sym_integration')!;
  const at = (problems: { path: unknown[]; message: string }[]) => problems.map((p) => [p.path.join('.'), p.message.split(':')[0]]);
  assert.deepEqual(at(validateAgainstSpec(target, { type: 'okta_group', name: 't', settings: null })), [['settings', '`okta_group` targets need `settings.group_id`']]);
  assert.deepEqual(at(validateAgainstSpec(target, { type: 'okta_group', name: 't', settings: { group_id: '' } })), [['settings', '`okta_group` targets need `settings.group_id`']]);
  assert.deepEqual(validateAgainstSpec(target, { type: 'okta_group', name: 't', settings: { group_id: '00g1' } }), []);
  assert.deepEqual(validateAgainstSpec(target, { type: 'custom', name: 't', settings: null }), [], 'other types are not concerned');
  assert.deepEqual(at(validateAgainstSpec(target, { type: 'github_repo', name: 't', settings: { group_id: 'x' } })).length, 1);
  assert.deepEqual(at(validateAgainstSpec(integration, { type: 'github', name: 'i', external_id: 'acme', settings: {} })), [['settings', '`github` integrations need `settings.api_token_secret`']]);
  // Unknown at plan time (a secret created in the same apply): decided once known.
  assert.deepEqual(validateAgainstSpec(integration, { type: 'okta', name: 'i', external_id: 'x.okta.com', settings: { api_token_secret: unknownMarker } }), []);
});

test('aws_sso and aws_iam strategies run (not refused); aws_sso_account_assignment targets, granted by no strategy yet, are', () => {
  assert.ok(!strategyTypesNotSupportedYet.includes('aws_sso') && !strategyTypesNotSupportedYet.includes('aws_iam'));
  const problems = validateAgainstSpec(resourceByType('sym_target')!, { type: 'aws_sso_account_assignment', name: 't' });
  assert.deepEqual(
    problems.map((p) => p.path),
    [['type']],
  );
  assert.match(problems[0].message, /^"aws_sso_account_assignment" is not supported yet by OpenSym/);
});

test('aptible strategies and aptible_role targets run (not refused), with the settings they need; knowbe4 strategies and knowbe4_training_group targets stay refused', () => {
  assert.ok(!strategyTypesNotSupportedYet.includes('aptible'));
  assert.ok(!targetTypesNotSupportedYet.includes('aptible_role'));
  const target = resourceByType('sym_target')!;
  const integration = resourceByType('sym_integration')!;
  const strategy = resourceByType('sym_strategy')!;
  assert.deepEqual(validateAgainstSpec(target, { type: 'aptible_role', name: 't', settings: { role_id: '24463EF7-1D6E-402E-A365-69CB6DB80C6E' } }), []);
  assert.deepEqual(
    validateAgainstSpec(target, { type: 'aptible_role', name: 't', settings: {} }).map((p) => [p.path.join('.'), p.message.split(':')[0]]),
    [['settings', '`aptible_role` targets need `settings.role_id`']],
  );
  assert.deepEqual(validateAgainstSpec(integration, { type: 'aptible', name: 'i', external_id: 'org-uuid', settings: { username_secret: 's1', password_secret: 's2' } }), []);
  assert.deepEqual(
    validateAgainstSpec(integration, { type: 'aptible', name: 'i', external_id: 'org-uuid', settings: { username_secret: 's1' } }).map((p) => p.path.join('.')),
    ['settings'],
  );
  assert.deepEqual(validateAgainstSpec(strategy, { type: 'aptible', name: 's', targets: [] }), []);
  assert.match(validateAgainstSpec(strategy, { type: 'knowbe4', name: 's', targets: [] })[0]!.message, /^"knowbe4" is not supported yet by OpenSym/);
  assert.match(validateAgainstSpec(target, { type: 'knowbe4_training_group', name: 't' })[0]!.message, /^"knowbe4_training_group" is not supported yet by OpenSym/);
  // Sym accepts knowbe4 integrations; they serve custom strategies as any integration does.
  assert.deepEqual(validateAgainstSpec(integration, { type: 'knowbe4', name: 'i', external_id: 'training.knowbe4.com', settings: { secret_ids_json: '["s"]' } }), []);
});
