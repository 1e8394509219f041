// Python syntax at plan time: the provider has no Python parser, so PlanResourceChange asks the
// control plane (`POST /implementation-checks`, CPython's parser) about a Python module whose
// source changes and reports what it finds on the attribute, with the line. A control plane that
// cannot answer skips the check (apply still refuses the module).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import type { ResourceSpec } from '@opensym/schemas';
import type { ImplementationCheckBody, ImplementationCheckResult } from '../client/api-client';
import { ApiUnreachableError } from '../client/api-error';
import { FakeEntityApi } from '../client/fake-entity-api';
import { fixtureFlowSpec } from '../framework/fixture-specs';
import { FrameworkProvider } from '../framework/framework-provider';
import { sourceHash } from '../framework/source-or-path';
import type { TfValue } from '../protocol/values';
import { buildResources } from '../resources/build-resources';
import { createSymProvider } from './sym-provider';

const cwd = mkdtempSync(join(tmpdir(), 'python-plan-check-'));
const wire = { provider: { version: 0, block: { attributes: [], block_types: [] } }, resource_schemas: {}, data_source_schemas: {} };
const implementation = fixtureFlowSpec.attributes.implementation;
const flowSpec: ResourceSpec = {
  ...fixtureFlowSpec,
  attributes: { ...fixtureFlowSpec.attributes, implementation: { ...implementation, sourceOrPath: { hashAttribute: 'implementation_hash', module: 'flow' } } },
};

const BROKEN = 'from sym.sdk.annotations import hook\n\n@hook\ndef on_request(event)\n    return None\n';

/** The fake control plane, answering checks as the real one does for `BROKEN` (its test: implementation-check-routes.test.ts). */
class CheckingApi extends FakeEntityApi {
  readonly checks: ImplementationCheckBody[] = [];
  answer: () => Promise<ImplementationCheckResult> = async () => ({ language: 'python', problems: [{ line: 4, column: 22, message: "SyntaxError: expected ':'" }] });
  checkImplementation(body: ImplementationCheckBody): Promise<ImplementationCheckResult> {
    this.checks.push(body);
    return this.answer();
  }
}

type Obj = Record<string, any>;
const config = (impl: string): Obj => ({
  id: null,
  name: 'approval',
  label: null,
  implementation: impl,
  implementation_hash: null,
  environment_id: 'env-1',
  vars: null,
  params: { strategy_id: null, allow_revoke: null, allowed_sources: null, prompt_field: [] },
});

describe('plan-time check of Python implementations through the control plane', () => {
  let api: CheckingApi;
  let provider: FrameworkProvider;
  const plan = (prior: TfValue, cfg: Obj) => provider.planResourceChange('sym_flow', prior, { ...cfg, implementation_hash: (prior as Obj | null)?.implementation_hash ?? null }, cfg, undefined);

  beforeEach(async () => {
    writeFileSync(join(cwd, 'impl.py'), BROKEN);
    writeFileSync(join(cwd, 'hooks.js'), 'export function on_request() {}');
    api = new CheckingApi();
    provider = new FrameworkProvider({ wireSchemas: wire, resources: buildResources([flowSpec]), provider: createSymProvider({ connect: () => api, env: { SYM_JWT: 't' } }), cwd });
    assert.deepEqual(await provider.configureProvider({ api_url: null, org: null, token: null, jwt_env_var: null }, '1.11.0'), []);
  });

  it('reports a syntax error on the implementation attribute with its line (before: planned without a diagnostic)', async () => {
    assert.deepEqual(await provider.validateResourceConfig('sym_flow', config("file('impl.py')")), [], 'the light check at validate passes it');
    const planned = await plan(null, config("file('impl.py')"));
    assert.equal(planned.diagnostics.length, 1, JSON.stringify(planned.diagnostics));
    const [diag] = planned.diagnostics;
    assert.equal(diag.severity, 'error');
    assert.equal(diag.summary, 'Invalid implementation');
    assert.equal(diag.detail, "The implementation in file('impl.py'), line 4: SyntaxError: expected ':'");
    assert.deepEqual(diag.path, ['implementation']);
    assert.deepEqual(api.checks, [{ source: BROKEN, kind: 'flow', filename: 'impl.py' }]);
  });

  it('sends inline Python without a file name, and not JavaScript (parsed in full at validate)', async () => {
    await plan(null, config(BROKEN));
    await plan(null, config('hooks.js'));
    assert.deepEqual(api.checks, [{ source: BROKEN, kind: 'flow' }]);
  });

  it('does not ask again about a module whose source is unchanged', async () => {
    const prior = { ...config("file('impl.py')"), id: 'f-1', implementation_hash: sourceHash(BROKEN) };
    const planned = await plan(prior, config("file('impl.py')"));
    assert.deepEqual(planned.diagnostics, []);
    assert.deepEqual(api.checks, []);
  });

  it('plans on when the control plane cannot answer (apply still refuses)', async () => {
    api.answer = async () => {
      throw new ApiUnreachableError('http://127.0.0.1:9', 'connection refused');
    };
    const planned = await plan(null, config("file('impl.py')"));
    assert.deepEqual(planned.diagnostics, []);
    assert.equal(api.checks.length, 1);
    assert.equal((planned.planned as Obj).implementation_hash, sourceHash(BROKEN));
  });
});
