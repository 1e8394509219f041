// The public API end to end: results, errors with file and line, SDK helpers, host doors.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createSandbox } from './create-sandbox';
import { LOOPBACK_EGRESS, startHttpDouble } from './http-double';
import type { SymEvent } from './sandbox-call';
import { SandboxError } from './sandbox-error';

const event: SymEvent = {
  type: 'request',
  user: { id: 'u1', email: 'alice@example.com' },
  payload: { fields: { reason: 'on call', duration: 3600, target: { id: 't1', settings: { identifier: 'db' } } } },
  flow: { id: 'f1', name: 'access', vars: { team: 'infra' } },
  run: { id: 'r1', actors: { request: { id: 'u1', email: 'alice@example.com' } } },
  step_outputs: { request: { approved: false }, approve: { approver: 'bob' } },
};

async function failure(promise: Promise<unknown>): Promise<SandboxError> {
  const error = await promise.then(
    () => assert.fail('expected a SandboxError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof SandboxError, String(error));
  return error;
}

describe('createSandbox: run and check', () => {
  const sandbox = createSandbox({ maxWorkers: 2, egress: LOOPBACK_EGRESS });
  after(() => sandbox.close());

  it('reports a thrown error with every guest frame (file and line)', async () => {
    const source = `import { events } from 'sym/sdk';

function check(event) {
  if (event.payload.fields.reason) {
    const reason = event.payload.fields.reason;
    // line 7 throws:
    throw new Error('no access for ' + reason); }
}

export function on_request(event) {
  check(event);
}
`.replace('    // line 7 throws:\n', '');
    const error = await failure(sandbox.run({ source, call: { kind: 'hook', name: 'on_request', event } }));
    assert.equal(error.code, 'runtime');
    assert.equal(error.message, 'Error: no access for on call');
    assert.equal(error.location?.file, 'impl.js');
    assert.equal(error.location?.line, 6);
    assert.match(error.guestStack, /at check \(impl\.js:6:\d+\)/);
    assert.match(error.guestStack, /at on_request \(impl\.js:10:\d+\)/);
  });

  it('reports impl.js:7 for a throw on line 7', async () => {
    const source = ['// 1', '// 2', '// 3', '// 4', '// 5', 'export function on_request() {', "  throw new TypeError('line seven');", '}', ''].join('\n');
    const error = await failure(sandbox.run({ source, call: { kind: 'hook', name: 'on_request', event } }));
    assert.match(error.guestStack, /impl\.js:7/);
    assert.deepEqual([error.location?.file, error.location?.line], ['impl.js', 7]);
  });

  it('gives the event helpers of the SDK', async () => {
    const source = `export function get_permissions(event) {
  return {
    fields: event.fields.reason,
    duration: event.payload.fields.duration,
    target: event.payload.fields.target.settings.identifier,
    vars: event.flow.vars.team,
    actor: event.run.actors.request.email,
    approve: event.get_step_output('approve'),
    latest: event.get_step_output(),
    missing: event.get_step_output('nope'),
  };
}
`;
    const result = await sandbox.run({ source, call: { kind: 'hook', name: 'get_permissions', event } });
    assert.deepEqual(result.value, {
      fields: 'on call',
      duration: 3600,
      target: 'db',
      vars: 'infra',
      actor: 'alice@example.com',
      approve: { approver: 'bob' },
      latest: { approver: 'bob' },
      missing: null,
    });
  });

  it('builds Slack recipients and approval events as tagged JSON', async () => {
    const source = `import { events, slack } from 'sym/sdk';
export function get_request_notifications(event) {
  return [
    slack.channel('#access', { allow_self: true }),
    slack.channel('C123'),
    slack.fallback(slack.user('U42'), slack.channel('#ops'), { continue_on_delivery_failure: true }),
    slack.user('bob@example.com'),
    events.approval.deny({ message: 'not today' }),
    events.approval.ignore({ message: 'later' }),
  ];
}
`;
    const result = await sandbox.run({ source, call: { kind: 'hook', name: 'get_request_notifications', event } });
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
    const source = `import { notifications, slack } from 'sym/sdk';
export function get_request_notifications(event) {
  return [
    notifications.Notification({ destinations: [slack.channel('#access'), slack.user(event.user)] }),
    notifications.Notification({ destinations: ['ops@example.com', [slack.fallback(slack.user('U42'), slack.channel('#ops'))]] }),
    notifications.Notification({ destinations: slack.channel('C9') }),
  ];
}
export function get_approvers() {
  return notifications.Notification({});
}
`;
    const result = await sandbox.run({ source, call: { kind: 'hook', name: 'get_request_notifications', event } });
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
    await assert.rejects(sandbox.run({ source, call: { kind: 'hook', name: 'get_approvers', event } }), (err: Error) => {
      assert.match(err.message, /Notification\(\) needs destinations/);
      return true;
    });
  });

  it('supports async hooks awaiting host calls, and pagerduty.is_on_call', async () => {
    const source = `import { pagerduty } from 'sym/sdk/integrations';
export async function get_permissions(event) {
  const onCall = await pagerduty.is_on_call(event.user, { schedule: 'S1' });
  return { allow_self: await onCall };
}
`;
    const result = await sandbox.run({
      source,
      call: { kind: 'hook', name: 'get_permissions', event },
      host: { pagerduty: { onCall: () => [], isOnCall: async (user, query) => user.email === 'alice@example.com' && query.schedule === 'S1' } },
    });
    assert.deepEqual(result.value, { allow_self: true });
  });

  it('captures console output', async () => {
    const lines: string[] = [];
    const result = await sandbox.run({
      source: "export function on_request(e) { console.log('hello', { a: 1 }); console.warn(42); return 1; }",
      call: { kind: 'hook', name: 'on_request', event },
      host: { onLog: (line) => lines.push(`${line.level}:${line.message}`) },
    });
    assert.deepEqual(lines, ['log:hello {"a":1}', 'warn:42']);
    assert.equal(result.logs.length, 2);
  });

  it('times out a host call that takes too long, as a timeout the guest can see', async () => {
    // A server that accepts the request but never answers.
    const hanging = await import('node:http').then(({ createServer }) => {
      const server = createServer(() => undefined);
      return new Promise<{ host: string; close(): void }>((resolve) =>
        server.listen(0, '127.0.0.1', () => {
          const { port } = server.address() as { port: number };
          resolve({
            host: `127.0.0.1:${port}`,
            close: () => {
              server.closeAllConnections();
              server.close();
            },
          });
        }),
      );
    });
    try {
      const source = `import { get } from 'sym/http';
export function on_request() { return get('http://${hanging.host}/slow').status_code; }
`;
      const started = Date.now();
      const error = await failure(
        sandbox.run({
          source,
          call: { kind: 'hook', name: 'on_request', event },
          host: { allowedHosts: [hanging.host] },
          limits: { hostCallTimeoutMs: 300, cpuMs: 200 },
        }),
      );
      assert.equal(error.code, 'timeout');
      assert.match(error.message, /took longer than 300 ms/);
      // Host-call time is not CPU time: 300 ms of waiting did not trip the 200 ms CPU limit.
      assert.ok(Date.now() - started < 3000);
    } finally {
      hanging.close();
    }
  });

  it('reports a missing secret index as host_denied', async () => {
    const source = `import { AccessStrategy } from 'sym/sdk';
export class S extends AccessStrategy {
  escalate() { return this.integration.settings.secrets[0].retrieve_value(); }
  deescalate() {}
}
`;
    const error = await failure(
      sandbox.run({
        source,
        call: { kind: 'strategy', method: 'escalate', targetId: 't', event, integration: { id: 'i', secrets: [{ id: 's' }] } },
      }),
    );
    assert.equal(error.code, 'host_denied');
    assert.match(error.message, /no secret source/);
  });

  it('supports an async fetch_remote_identity and picks the class by name', async () => {
    const source = `import { AccessStrategy } from 'sym/sdk/strategies';
export class A extends AccessStrategy { escalate() {} deescalate() {} }
export class B extends AccessStrategy {
  async fetch_remote_identity(user) { return 'remote-' + user.id; }
  escalate() {} deescalate() {}
}
`;
    const result = await sandbox.run({ source, call: { kind: 'identity', event, integration: { id: 'i' }, className: 'B' } });
    assert.equal(result.value, 'remote-u1');
    const ambiguous = await failure(sandbox.run({ source, call: { kind: 'identity', event, integration: { id: 'i' } } }));
    assert.match(ambiguous.message, /several AccessStrategy classes: A, B/);
  });

  it('rejects invalid limits', async () => {
    await assert.rejects(sandbox.run({ source: '', call: { kind: 'hook', name: 'x', event }, limits: { cpuMs: 0 } }), /cpuMs must be a positive/);
  });

  it('runs invocations concurrently across workers', async () => {
    const source = 'export function on_request(e) { let n = 0; for (let i = 0; i < 1e5; i++) n += i; return n; }';
    const results = await Promise.all(Array.from({ length: 8 }, () => sandbox.run({ source, call: { kind: 'hook', name: 'on_request', event } })));
    assert.ok(results.every((r) => r.value === 4999950000));
  });

  it('rejects input that is not plain data without disturbing the pool', async () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const value of [() => 1, Symbol('s'), 1n, cycle]) {
      const bad = { ...event, payload: { fields: { value: value as never } } };
      await assert.rejects(sandbox.run({ source: 'export function on_request() {}', call: { kind: 'hook', name: 'on_request', event: bad } }), (error: Error) => {
        assert.ok(error instanceof TypeError && /not plain data/.test(error.message), `${typeof value}: ${error.message}`);
        return true;
      });
    }
    const ok = await sandbox.run({ source: 'export function on_request() { return 1; }', call: { kind: 'hook', name: 'on_request', event } });
    assert.equal(ok.value, 1);
  });

  it('keeps serving queued invocations while a worker is hard-stopped', async () => {
    const single = createSandbox({ maxWorkers: 1, limits: { cpuMs: 100, hardStopGraceMs: 200 } });
    try {
      const killer = single.run({ source: "export function on_request() { return new Array(1e9).join('x'); }", call: { kind: 'hook', name: 'on_request', event } });
      const normal = Array.from({ length: 4 }, (_, i) => single.run({ source: `export function on_request() { return ${i}; }`, call: { kind: 'hook', name: 'on_request', event } }));
      assert.equal((await failure(killer)).code, 'killed');
      assert.deepEqual(
        (await Promise.all(normal)).map((r) => r.value),
        [0, 1, 2, 3],
      );
    } finally {
      await single.close();
    }
  });

  it('a sandbox has the settings it was built with and no other (here: egress to a loopback double)', async () => {
    const api = await startHttpDouble();
    const source = `import { get } from 'sym/http';
export function on_request() { return get('${api.url}/ping').status_code; }
`;
    const run = (s: typeof sandbox) => s.run({ source, call: { kind: 'hook', name: 'on_request', event }, host: { allowedHosts: [api.host] } });
    // compose.ts builds the one sandbox with the operator's settings (config.ts sandboxOptionsOf); a sandbox without them keeps loopback closed.
    const plain = createSandbox({ maxWorkers: 1 });
    try {
      assert.match((await failure(run(plain))).message, /egress to 127\.0\.0\.1 \(loopback\) is not allowed/);
      assert.equal((await run(sandbox)).value, 200);
      assert.equal(api.requests.length, 1);
    } finally {
      await plain.close();
      await api.close();
    }
  });

  it('checks sources (plan time) on the same sandbox', async () => {
    const problems = await sandbox.check("import x from 'net';\nexport function on_request() {}", { kind: 'flow' });
    assert.equal(problems[0].line, 1);
  });
});
