import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, ApiUnreachableError, apiErrorFromBody } from '../client/api-error';
import { fixtureFlowSpec } from '../framework/fixture-specs';
import { apiErrorToDiagnostics, errorToDiagnostics } from './api-error-diagnostics';

describe('apiErrorToDiagnostics', () => {
  it('field errors become attribute diagnostics', () => {
    const err = new ApiError({
      status: 422,
      code: 'validation_failed',
      title: 'Validation failed',
      errors: [{ pointer: '/params/prompt_field/0/type', detail: 'must be one of string, int' }],
    });
    assert.deepEqual(apiErrorToDiagnostics(fixtureFlowSpec, err, 'create sym_flow'), [
      { severity: 'error', summary: 'Invalid value', detail: 'must be one of string, int', path: ['params', 'prompt_field', 0, 'type'] },
    ]);
  });
  it('reference_not_found points at the referencing attribute', () => {
    const err = new ApiError({ status: 422, code: 'reference_not_found', title: 'Reference not found', errors: [{ pointer: '/environment_id', detail: 'no environment x' }] });
    const [d] = apiErrorToDiagnostics(fixtureFlowSpec, err, 'create sym_flow');
    assert.equal(d.summary, 'Referenced object not found');
    assert.deepEqual(d.path, ['environment_id']);
  });
  it('other errors: one diagnostic with summary and detail', () => {
    const err = new ApiError({ status: 409, code: 'still_referenced', title: 'Still referenced', detail: 'used by flow a' });
    const diags = apiErrorToDiagnostics(fixtureFlowSpec, err, 'delete sym_environment');
    assert.equal(diags.length, 1);
    assert.equal(diags[0].summary, 'Object still in use');
    assert.match(diags[0].detail!, /used by flow a/);
    assert.equal(diags[0].path, undefined);
  });
  it('still_referenced by live access requests: an error naming the requests, without the "refer to it" hint', () => {
    const body = {
      type: 'https://opensym.dev/problems/still-referenced',
      title: 'Still referenced',
      status: 409,
      code: 'still_referenced',
      detail:
        'This flows entity is still needed by 1 live access request(s): 3f0c1e2a-0000-4000-8000-000000000001 (active). Revoke them (POST /api/v1/requests/{id}/revoke) or wait until they expire and their access is taken back, then delete again.',
      requests: [{ id: '3f0c1e2a-0000-4000-8000-000000000001', state: 'active' }],
      request_count: 1,
    };
    const diags = errorToDiagnostics(apiErrorFromBody(409, 'Conflict', body), fixtureFlowSpec, 'delete sym_flow');
    assert.equal(diags.length, 1);
    assert.equal(diags[0].severity, 'error');
    assert.equal(diags[0].summary, 'Object still needed by live access requests');
    assert.match(diags[0].detail!, /^Could not delete sym_flow: This flows entity is still needed by 1 live access request\(s\): 3f0c1e2a-0000-4000-8000-000000000001 \(active\)\. Revoke them/);
    assert.doesNotMatch(diags[0].detail!, /refer to it/);
    assert.match(diags[0].detail!, /\(HTTP 409, still_referenced\)\.$/);
  });
  it('unreachable and unexpected errors: clear text, no stack', () => {
    const [u] = errorToDiagnostics(new ApiUnreachableError('http://x:1', 'connection refused'), undefined, 'read');
    assert.equal(u.summary, 'Cannot reach the OpenSym control plane');
    const [b] = errorToDiagnostics(new TypeError('boom'), undefined, 'plan');
    assert.doesNotMatch(b.detail!, /at .*\.ts/);
  });
});
