// Shutdown with requests in flight: they are answered (never 5xx), keep-alive clients are told to
// close, new connections are refused, and jobs stop and the database closes only afterwards.
import assert from 'node:assert/strict';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { gracefulShutdown } from './graceful-shutdown';
import { startTestControlPlane, type TestControlPlane } from './test-support/test-control-plane';

interface Answer {
  status?: number;
  connection?: string;
  body?: string;
  error?: string;
}

/** One HTTP call through `agent`; a connection failure is an answer too (its error code). */
function call(port: number, agent: http.Agent, method: string, path: string, token: string, body?: object): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, body: text }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A control plane served on a real port. `POST /events/request` calls are held at a gate (after
 * the server received them, before the app sees them) until `release()`; `held(n)` resolves once
 * n of them wait there. Jobs run, and what the shutdown does is written to `steps`.
 */
async function servedControlPlane(graceMs: number) {
  const t: TestControlPlane = await startTestControlPlane(undefined, { startJobs: true, workflow: { jobs: { pollIntervalMs: 20 } } });
  const admin = (path: string, body: object) =>
    t.request
      .post(`/api/v1/${path}`)
      .set({ Authorization: `Bearer ${t.admin}` })
      .send(body);
  const env = await admin('entities/environments', { name: 'drain' });
  assert.equal(env.status, 201, JSON.stringify(env.body));
  // Pending requests enqueue an expiry job: each call writes the request, its events and a job.
  const flow = await admin('entities/flows', { name: 'drain', implementation: 'export function on_request(event) {}\n', environment_id: env.body.id, params: {} });
  assert.equal(flow.status, 201, JSON.stringify(flow.body));
  const user = await admin('users', { email: 'drain@example.com', role: 'member' });
  const token = (await admin(`users/${user.body.id}/tokens`, {})).body.token as string;

  const steps: string[] = [];
  const gate = deferred();
  const waiting: { n: number; resolve: () => void }[] = [];
  let heldCount = 0;
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    res.once('finish', () => steps.push(`answered ${res.statusCode}`));
    if (req.method === 'POST' && req.url === '/api/v1/events/request') {
      heldCount++;
      for (const w of waiting) if (heldCount >= w.n) w.resolve();
      void gate.promise.then(() => t.cp.app(req, res));
    } else t.cp.app(req, res);
  });
  const shutDown = gracefulShutdown({
    server,
    jobs: {
      stop: async (o) => {
        await t.cp.jobs.stop(o);
        steps.push('jobs stopped');
      },
    },
    db: {
      close: async () => {
        await t.cp.db.close();
        steps.push('database closed');
      },
    },
    logger: pino({ level: 'silent' }),
    graceMs,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const held = (n: number) =>
    new Promise<void>((resolve) => {
      if (heldCount >= n) resolve();
      else waiting.push({ n, resolve });
    });
  return { t, server, port, token, steps, shutDown, held, release: () => gate.resolve() };
}

describe('graceful shutdown', () => {
  it('answers the requests in flight, then stops jobs, then closes the database', async () => {
    const s = await servedControlPlane(60_000);
    const busy = new http.Agent({ keepAlive: true, maxSockets: 5 });
    const idle = new http.Agent({ keepAlive: true });
    const ask = () => call(s.port, busy, 'POST', '/api/v1/events/request', s.token, { flow: 'drain', flow_inputs: {} });
    try {
      // An idle keep-alive connection, as a client leaves it between calls.
      assert.equal((await call(s.port, idle, 'GET', '/api/v1/whoami', s.token)).status, 200);
      const inFlight = Array.from({ length: 5 }, ask);
      await s.held(5);

      const stopping = s.shutDown();
      assert.equal(s.shutDown(), stopping, 'a second signal joins the same shutdown');
      s.release();

      const answers = await Promise.all(inFlight);
      for (const a of answers) {
        assert.equal(a.status, 201, `in-flight request: ${JSON.stringify(a)}`);
        assert.equal(JSON.parse(a.body!).state, 'pending');
        assert.equal(a.connection, 'close', 'keep-alive clients are told not to reuse the connection');
      }
      // The next call of each keep-alive client needs a new connection, which is refused: a clean
      // connection error, never a 5xx or a reset mid-request.
      const after = await Promise.all(Array.from({ length: 5 }, ask));
      assert.deepEqual(
        after.map((a) => a.error),
        Array(5).fill('ECONNREFUSED'),
      );

      assert.deepEqual(await stopping, { abandonedRequests: 0 }, 'drained without cutting anything off (the idle connection was closed too)');
      assert.deepEqual(s.steps, ['answered 200', ...Array(5).fill('answered 201'), 'jobs stopped', 'database closed']);
      await assert.rejects(s.t.cp.db.ping(), 'the database is closed');
    } finally {
      busy.destroy();
      idle.destroy();
      s.release();
      await s.shutDown();
    }
  });

  it('serves a request a keep-alive client sent just before the shutdown, instead of resetting its "idle" connection', async () => {
    const s = await servedControlPlane(60_000);
    const socket = net.connect(s.port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const whoami = `GET /api/v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.token}\r\nConnection: keep-alive\r\n\r\n`;
    try {
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(whoami);
      await new Promise<void>((resolve) => socket.on('data', () => /\r\n\r\n\{.*\}$/s.test(received) && resolve()));
      assert.match(received, /^HTTP\/1\.1 200/);
      assert.match(received, /keep-alive/i, 'the connection stays open, idle as far as the server can tell');
      received = '';
      // The next request reaches the server's socket; the shutdown starts before the server has read it.
      socket.write(whoami);
      const stopping = s.shutDown();
      await ended;
      assert.match(received, /^HTTP\/1\.1 200/, `answered, not reset: ${JSON.stringify(received.slice(0, 200))}`);
      assert.match(received, /\r\nconnection: close\r\n/i);
      assert.deepEqual(await stopping, { abandonedRequests: 0 });
      assert.deepEqual(s.steps, ['answered 200', 'answered 200', 'jobs stopped', 'database closed']);
    } finally {
      socket.destroy();
      await s.shutDown();
    }
  });

  it('cuts off a request still running after the grace period, and closes the database after that', async () => {
    const s = await servedControlPlane(200);
    const agent = new http.Agent({ keepAlive: true });
    try {
      const stuck = call(s.port, agent, 'POST', '/api/v1/events/request', s.token, { flow: 'drain', flow_inputs: {} });
      await s.held(1);
      assert.deepEqual(await s.shutDown(), { abandonedRequests: 1 });
      assert.deepEqual(s.steps, ['jobs stopped', 'database closed']);
      assert.equal((await stuck).error, 'ECONNRESET', 'the client sees its connection close, not a 5xx');
    } finally {
      agent.destroy();
    }
  });
});
