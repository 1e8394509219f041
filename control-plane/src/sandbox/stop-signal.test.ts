// The stop signal of an invocation: made only when a host call needs it (an AbortController per
// invocation showed in the request path's profile), and still ending a pending HTTP call when the
// invocation runs past its wall-clock limit.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { createSandbox } from './create-sandbox';
import { LOOPBACK_EGRESS } from './http-double';
import { SandboxError } from './sandbox-error';

const event = { user: { id: 'u1', email: 'a@example.com' }, payload: { fields: {} } };

/** Counts AbortControllers made on this thread while `run` runs. */
async function countControllers<T>(run: () => Promise<T>): Promise<{ made: number; value: T }> {
  const Original = globalThis.AbortController;
  let made = 0;
  globalThis.AbortController = class extends Original {
    constructor() {
      super();
      made++;
    }
  };
  try {
    const value = await run();
    return { made, value };
  } finally {
    globalThis.AbortController = Original;
  }
}

/** A server that takes requests and never answers; `closed` resolves when the first request's connection ends. */
async function hangingServer(): Promise<{ host: string; arrived: Promise<void>; closed: Promise<void>; close(): void }> {
  let arrive!: () => void;
  let close!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const closed = new Promise<void>((resolve) => (close = resolve));
  const server = createServer((req: IncomingMessage) => {
    req.socket.once('close', close);
    arrive();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrived,
    closed,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('the stop signal of an invocation', () => {
  const sandbox = createSandbox({ maxWorkers: 1, egress: LOOPBACK_EGRESS });
  after(() => sandbox.close());

  it('is not made for an invocation without host calls', async () => {
    const source = 'export function on_request() { return 1; }\n';
    const run = () => sandbox.run({ source, reuseScope: 'org-a:flow-1', call: { kind: 'hook', name: 'on_request', event } });
    await run();
    const { made, value } = await countControllers(async () => [await run(), await run()]);
    assert.deepEqual(
      value.map((r) => r.value),
      [1, 1],
    );
    assert.equal(made, 0);
  });

  it('still ends a pending HTTP call when the invocation runs past its wall-clock limit', { timeout: 60_000 }, async () => {
    const server = await hangingServer();
    try {
      const source = `import { get } from 'sym/http';\nexport function on_request() { return get('http://${server.host}/slow').status_code; }\n`;
      const { made, value: error } = await countControllers(() =>
        sandbox
          .run({
            source,
            call: { kind: 'hook', name: 'on_request', event },
            host: { allowedHosts: [server.host] },
            // The host call alone would wait for 10 minutes; only the invocation's stop can end it.
            limits: { wallClockMs: 500, hostCallTimeoutMs: 600_000 },
          })
          .then(
            () => assert.fail('expected a wall-clock stop'),
            (e: unknown) => e,
          ),
      );
      assert.ok(error instanceof SandboxError, String(error));
      assert.equal(error.code, 'wall_clock');
      assert.equal(made, 1, 'one controller, for the invocation that made a host call');
      await server.arrived;
      // Resolves only once the sandbox closed the connection (the test times out otherwise).
      await server.closed;
    } finally {
      server.close();
    }
  });
});
