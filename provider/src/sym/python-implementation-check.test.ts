import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkImplementation } from './implementation-check';

const at = (source: string, kind: 'flow' | 'strategy' | 'flows-filter' = 'flow', filename?: string) => checkImplementation(source, kind, filename).map((p) => [p.line, p.message.split(';')[0]]);

const ROUTING_RULES = `from sym import events
from sym.annotations import hook, reducer
from sym.integrations import slack, pagerduty

def on_request(req):
    # Automatically approve requests for free tier customers
    if req.fields["customer_plan"] == "free":
        return events.approval.approve()

def get_approver(req):
    if req.fields["is_assigned"]:
        return slack.user(req.user)
    else: # Otherwise, send the approval to the on-call managers.
        on_call_mgrs = pagerduty.on_call(schedule="id_of_mgr_on_call")
        return [slack.user(x) for x in on_call_mgrs]
`;

describe('checkImplementation of Python', () => {
  it("accepts the seed's impl.py (before: SyntaxError at line 1 from the JavaScript parser)", () => {
    assert.deepEqual(checkImplementation(ROUTING_RULES, 'flow'), []);
    assert.deepEqual(checkImplementation(ROUTING_RULES, 'flow', 'impl.py'), []);
  });

  it('accepts a custom strategy with requests, json and datetime', () => {
    const source = `from sym.sdk.strategies import AccessStrategy
import requests, json
from datetime import datetime


class CustomStrategy(AccessStrategy):
    """import os in a docstring is fine"""

    def fetch_remote_identity(self, user):
        return user.email

    def escalate(self, target_id, event):
        requests.post("https://api.example.com/x", json={"at": datetime.now().isoformat()})

    def deescalate(self, target_id, event):
        pass
`;
    assert.deepEqual(checkImplementation(source, 'strategy'), []);
  });

  it('reports forbidden imports, relative imports and open()/eval() with their lines', () => {
    const source = `from sym.sdk.annotations import hook
import os, json
import subprocess as sp  # import socket in a comment is fine
from . import helpers
from sym._sdk import call_host

@hook
def on_request(event):
    return open("/etc/passwd").read() or eval("1")
`;
    assert.deepEqual(at(source), [
      [2, 'module "os" is not available in the sandbox'],
      [3, 'module "subprocess" is not available in the sandbox'],
      [4, 'module "." is not available in the sandbox'],
      [5, 'module "sym._sdk" is not available in the sandbox'],
      [9, 'open() is not available in the sandbox'],
    ]);
  });

  it('reports decorated functions whose names are not hooks; helpers without a decorator are fine', () => {
    const source = `from sym.sdk.annotations import hook, reducer

def helper(x):
    return x

@reducer
def get_approverz(event):
    return helper(1)

@hook()
def on_requets(event):
    pass
`;
    assert.deepEqual(at(source), [
      [
        7,
        'unknown hook "get_approverz": a flow implementation may define only on_request, after_request, on_approve, after_approve, on_deny, after_deny, on_escalate, after_escalate, on_deescalate, after_deescalate, get_approvers, get_approver, get_permissions, get_request_notifications, get_identity',
      ],
      [
        11,
        'unknown hook "on_requets": a flow implementation may define only on_request, after_request, on_approve, after_approve, on_deny, after_deny, on_escalate, after_escalate, on_deescalate, after_deescalate, get_approvers, get_approver, get_permissions, get_request_notifications, get_identity',
      ],
    ]);
  });

  it('holds a strategy module to an AccessStrategy subclass with escalate and deescalate', () => {
    assert.deepEqual(at('import requests\n\ndef escalate():\n    pass\n', 'strategy'), [
      [1, 'a strategy implementation must define a class extending AccessStrategy (from sym.sdk.strategies import AccessStrategy)'],
    ]);
    const half = 'from sym.sdk.strategies import AccessStrategy\n\nclass S(AccessStrategy):\n    def escalate(self, target_id, event):\n        pass\n';
    assert.deepEqual(at(half, 'strategy'), [[3, 'strategy class S must implement deescalate(self, target_id, event)']]);
  });

  it('follows the file extension: a .js file is parsed as JavaScript whatever it looks like', () => {
    assert.match(checkImplementation(ROUTING_RULES, 'flow', 'impl.js')[0].message, /^SyntaxError/);
  });
});
