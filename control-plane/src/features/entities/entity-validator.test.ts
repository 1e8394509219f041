import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flowResource, integrationResource, runtimeResource, strategyResource, strategyTypesNotSupportedYet, targetResource } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import type { CheckSourceOptions } from '../../sandbox';
import { createEntityValidator } from './entity-validator';

describe('entity validator: implementations', () => {
  const calls: Array<[string, CheckSourceOptions['kind']]> = [];
  const validator = createEntityValidator([flowResource, strategyResource, runtimeResource], {
    checkSource: async (source, { kind }) => {
      calls.push([source, kind]);
      return source.includes('bad')
        ? [
            { line: 2, column: 1, message: 'first' },
            { line: 5, column: 3, message: 'second' },
          ]
        : [];
    },
  });

  it('checks implementation attributes with the kind their spec declares, and nothing else', async () => {
    calls.length = 0;
    await validator.implementation(flowResource, { name: 'f', implementation: 'ok flow' });
    await validator.implementation(strategyResource, { type: 'custom', name: 's', implementation: 'ok strategy' });
    await validator.implementation(strategyResource, { type: 'aws_lambda', name: 'l', settings: { code: 'bad lambda code is not sandboxed' } });
    await validator.implementation(runtimeResource, { name: 'bad runtime name' });
    assert.deepEqual(calls, [
      ['ok flow', 'flow'],
      ['ok strategy', 'strategy'],
    ]);
  });

  it('turns problems into one 422 field error at /implementation listing every line', async () => {
    const error = await validator.implementation(flowResource, { name: 'f', implementation: 'bad' }).then(
      () => assert.fail('expected a 422'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 422);
    assert.deepEqual(error.errors, [{ pointer: '/implementation', detail: 'line 2: first; line 5: second' }]);
    assert.equal(error.detail, '/implementation: line 2: first; line 5: second');
  });
});

describe('entity validator: types not supported yet', () => {
  const validator = createEntityValidator([strategyResource], { checkSource: async () => [] });

  it('refuses a strategy type Sym accepts but this version cannot run with a 422 at /type saying so', () => {
    const type = strategyTypesNotSupportedYet[0];
    assert.ok(type, 'some strategy type is still refused');
    const error = (() => {
      try {
        validator.create(strategyResource, { type, name: 's', targets: [] });
      } catch (e) {
        return e;
      }
      return assert.fail('expected a 422');
    })();
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 422);
    assert.equal(error.errors.length, 1, JSON.stringify(error.errors));
    assert.equal(error.errors[0].pointer, '/type');
    assert.match(error.errors[0].detail, new RegExp(`^"${type}" is not supported yet by OpenSym \\(supported: .*"custom"`));
  });

  it('accepts the types that run', () => {
    assert.doesNotThrow(() => validator.create(strategyResource, { type: 'custom', name: 's', targets: [], implementation: 'x' }));
  });
});

describe('entity validator: type-specific settings', () => {
  const validator = createEntityValidator([targetResource, integrationResource], { checkSource: async () => [] });
  const refusal = (spec: typeof targetResource, body: object) => {
    try {
      validator.create(spec, body);
    } catch (e) {
      return e;
    }
    return assert.fail('expected a 422');
  };

  it("a target missing the settings its strategy needs is a 422 at /settings with the rule's message", () => {
    for (const settings of [undefined, null, {}, { group_id: '' }]) {
      const error = refusal(targetResource, { type: 'okta_group', name: 'admins', ...(settings !== undefined && { settings }) });
      assert.ok(error instanceof ApiError);
      assert.deepEqual(error.errors, [{ pointer: '/settings', detail: '`okta_group` targets need `settings.group_id`: the Okta group id (00g...).' }], JSON.stringify(settings));
    }
    assert.doesNotThrow(() => validator.create(targetResource, { type: 'okta_group', name: 'admins', settings: { group_id: '00g1' } }));
    assert.doesNotThrow(() => validator.create(targetResource, { type: 'custom', name: 'c' }));
  });

  it("a github_repo permission outside GitHub's levels and an okta integration without its token secret are refused", () => {
    const repo = refusal(targetResource, { type: 'github_repo', name: 'r', settings: { repo_name: 'x', permission: 'write' } });
    assert.ok(repo instanceof ApiError && repo.errors[0].pointer === '/settings', JSON.stringify(repo));
    const okta = refusal(integrationResource, { type: 'okta', name: 'o', external_id: 'dev-1.okta.com' });
    assert.ok(okta instanceof ApiError);
    assert.match(okta.errors[0].detail, /api_token_secret/);
  });
});
