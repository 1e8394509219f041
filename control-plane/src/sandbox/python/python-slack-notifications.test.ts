// Python's side of the SDK parity for where approval messages go: `slack.channel`,
// `slack.fallback`, `slack.user` and `notifications.Notification` from `get_request_notifications`
// must build exactly the JSON their JavaScript counterparts build (run-hook.test.ts, "builds
// Slack recipients ..." and "builds notifications.Notification ..."), since the request service
// reads one shape whatever the language.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createSandbox } from '../create-sandbox';
import type { SymEvent } from '../sandbox-call';
import { SandboxError } from '../sandbox-error';

const event: SymEvent = {
  type: 'request',
  user: { id: 'u1', email: 'alice@example.com' },
  payload: { fields: { reason: 'on call' } },
  flow: { id: 'f1', name: 'access', vars: {} },
};

describe('Python SDK: Slack recipients and notifications (parity with JavaScript)', () => {
  const sandbox = createSandbox();
  after(() => sandbox.close());
  const run = (source: string, name = 'get_request_notifications') => sandbox.run({ source, filename: 'impl.py', call: { kind: 'hook', name, event }, tenant: 'org-a' });

  it('builds Slack recipients and approval events as tagged JSON', async () => {
    const source = `from sym.sdk import events
from sym.sdk.annotations import reducer
from sym.sdk.integrations import slack

@reducer
def get_request_notifications(event):
    return [
        slack.channel("#access", allow_self=True),
        slack.channel("C123"),
        slack.fallback(slack.user("U42"), slack.channel("#ops"), continue_on_delivery_failure=True),
        slack.user("bob@example.com"),
        events.approval.deny(message="not today"),
        events.approval.ignore(message="later"),
    ]
`;
    const result = await run(source);
    assert.deepEqual(result.value, [
      { type: 'slack.channel', name: '#access', allow_self: true },
      { type: 'slack.channel', name: 'C123', allow_self: false },
      {
        type: 'slack.fallback',
        recipients: [
          { type: 'slack.user', slack_id: 'U42' },
          { type: 'slack.channel', name: '#ops', allow_self: false },
        ],
        continue_on_delivery_failure: true,
      },
      { type: 'slack.user', email: 'bob@example.com' },
      { type: 'approval.deny', message: 'not today' },
      { type: 'approval.ignore', message: 'later' },
    ]);
  });

  it('builds notifications.Notification as plain JSON with Slack destinations', async () => {
    const source = `from sym.sdk import notifications
from sym.sdk.annotations import reducer
from sym.sdk.integrations import slack

@reducer
def get_request_notifications(event):
    return [
        notifications.Notification(destinations=[slack.channel("#access"), slack.user(event.user)]),
        notifications.Notification(destinations=["ops@example.com", [slack.fallback(slack.user("U42"), slack.channel("#ops"))]]),
        notifications.Notification(destinations=slack.channel("C9")),
    ]

@reducer
def get_approvers(event):
    return notifications.Notification()
`;
    const result = await run(source);
    assert.deepEqual(result.value, [
      {
        type: 'notification',
        destinations: [
          { type: 'slack.channel', name: '#access', allow_self: false },
          { type: 'slack.user', user_id: 'u1', email: 'alice@example.com' },
        ],
      },
      {
        type: 'notification',
        destinations: [
          { type: 'slack.user', email: 'ops@example.com' },
          {
            type: 'slack.fallback',
            recipients: [
              { type: 'slack.user', slack_id: 'U42' },
              { type: 'slack.channel', name: '#ops', allow_self: false },
            ],
            continue_on_delivery_failure: false,
          },
        ],
      },
      { type: 'notification', destinations: [{ type: 'slack.channel', name: 'C9', allow_self: false }] },
    ]);
    // Leaving out destinations is an error in the guest, with its line.
    await assert.rejects(run(source, 'get_approvers'), (err: Error) => {
      assert.ok(err instanceof SandboxError, String(err));
      assert.match(err.message, /Notification\(\) needs destinations/);
      assert.deepEqual([err.location?.file, err.location?.line], ['impl.py', 15]);
      return true;
    });
  });

  it('takes the Sym import paths too: sym.sdk.notifications.Notification, sym.sdk.integrations.slack functions', async () => {
    const source = `from sym.sdk.notifications import Notification
from sym.sdk.integrations.slack import channel, fallback, user

def get_request_notifications(event):
    return Notification(destinations=[fallback(channel("#a"), user(event.user))])
`;
    const result = await run(source);
    assert.deepEqual(result.value, {
      type: 'notification',
      destinations: [
        {
          type: 'slack.fallback',
          recipients: [
            { type: 'slack.channel', name: '#a', allow_self: false },
            { type: 'slack.user', user_id: 'u1', email: 'alice@example.com' },
          ],
          continue_on_delivery_failure: false,
        },
      ],
    });
  });
});
