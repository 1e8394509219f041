import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SandboxError } from '../../sandbox';
import { hookFailureText } from './hook-failure';

describe('hookFailureText', () => {
  it("shows a SymException's message as written", () => {
    assert.equal(hookFailureText('on_request hook', new SandboxError('hook_exception', 'Only on-call engineers may request prod')), 'Only on-call engineers may request prod');
  });

  it('names the hook when a SymException has no message', () => {
    assert.equal(hookFailureText('on_request hook', new SandboxError('hook_exception', '')), "The flow's on_request hook raised SymException without a message");
  });

  it('says which hook failed and why for any other failure', () => {
    assert.equal(hookFailureText('get_approvers reducer', new SandboxError('runtime', 'TypeError: x is undefined')), "The flow's get_approvers reducer failed: TypeError: x is undefined");
  });
});
