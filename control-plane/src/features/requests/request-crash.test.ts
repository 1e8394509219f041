// Crash safety with the real server process (`node --import tsx src/server.ts`), on a PGlite data
// directory and on a PostgreSQL server: SIGKILL between approval and escalation, and SIGKILL while
// the strategy holds a deescalation. After each restart the step happens, and its effect happens
// once: the job is delivered at least once and every delivery carries the same idempotency key.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { waitFor } from '../../jobs/testing/wait-for';
import { startThrowawayPostgres } from '../../test-support/throwaway-postgres';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The remote API a custom strategy calls: applies each idempotency key's effect once; can hold deescalations. */
interface GrantDouble {
  url: string;
  host: string;
  calls: { action: string; key: string }[];
  effects: Map<string, string>;
  holdDeescalations: boolean;
  held: ServerResponse[];
  close(): Promise<void>;
}

async function startGrantDouble(): Promise<GrantDouble> {
  const double: Omit<GrantDouble, 'url' | 'host' | 'close'> = { calls: [], effects: new Map(), holdDeescalations: false, held: [] };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const { key } = JSON.parse(body || '{}') as { key: string };
      const action = (req.url ?? '').slice(1);
      double.calls.push({ action, key });
      if (!double.effects.has(key)) double.effects.set(key, action);
      if (action === 'deescalate' && double.holdDeescalations) {
        double.held.push(res);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(double, {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** One control-plane process. */
interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
}

async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: packageDir,
    // The grant API double is on loopback, which the sandbox refuses unless the operator allows it.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SYM_EGRESS_ALLOW_CIDRS: '127.0.0.0/8', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const port = await waitFor(
    'the server to listen',
    () => {
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${out}`);
      for (const line of out.split('\n')) {
        if (line.includes('"listening"')) return (JSON.parse(line) as { port: number }).port;
      }
      return null;
    },
    60_000,
  );
  await waitFor('the job runner line', () => out.includes('"job runner"'), 10_000);
  return { url: `http://127.0.0.1:${port}`, child, output: () => out };
}

async function kill9(server: ServerProcess): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  await exited;
}

async function stop(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** A small API client for one server. */
function client(base: () => string, token: string) {
  return async (method: string, url: string, body?: object): Promise<{ status: number; body: Record<string, unknown> & { [k: string]: any } }> => {
    const res = await fetch(base() + url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body && { 'content-type': 'application/json' }) },
      body: body && JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
}

const strategySource = (doubleUrl: string) => `import { AccessStrategy } from "sym/sdk/strategies";
import * as http from "sym/http";

export class GrantApi extends AccessStrategy {
  fetch_remote_identity(user) { return user.email; }
  escalate(target_id, event) {
    http.post("${doubleUrl}/escalate", { json: { key: event.idempotency_key } }).raise_for_status();
  }
  deescalate(target_id, event) {
    http.post("${doubleUrl}/deescalate", { json: { key: event.idempotency_key } }).raise_for_status();
  }
}
`;

async function crashScenario(database: { env: Record<string, string>; dataDir: string }) {
  const double = await startGrantDouble();
  let server = await startServer({ ...database.env, SYM_DATA_DIR: database.dataDir, SYM_JOBS: 'off', SYM_JOB_LEASE: '2s' });
  try {
    const adminToken = readFileSync(path.join(database.dataDir, 'admin-token'), 'utf8').trim();
    const admin = client(() => server.url, adminToken);
    const made = async (url: string, body: object) => {
      const res = await admin('POST', url, body);
      assert.equal(res.status, 201, `${url}: ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    };
    const integration = await made('/api/v1/entities/integrations', { type: 'custom', name: 'grant-api', external_id: 'grant-api', settings: { allowed_hosts: double.host } });
    const target = await made('/api/v1/entities/access-targets', { type: 'custom', name: 'prod-db' });
    const strategy = await made('/api/v1/entities/access-strategies', {
      type: 'custom',
      name: 'grant-api',
      targets: [target],
      integration_id: integration,
      implementation: strategySource(double.url),
    });
    const env = await made('/api/v1/entities/environments', { name: 'prod' });
    await made('/api/v1/entities/flows', { name: 'db', implementation: 'export function on_request(event) {}\n', environment_id: env, params: { strategy_id: strategy } });
    const person = async (email: string) => {
      const id = await made('/api/v1/users', { email });
      const issued = await admin('POST', `/api/v1/users/${id}/tokens`, {});
      return client(() => server.url, issued.body.token as string);
    };
    const requester = await person('dev@example.com');
    const approver = await person('lead@example.com');

    // 1. Approve while jobs are paused, then SIGKILL: the escalation exists only as a queued job.
    const created = await requester('POST', '/api/v1/events/request', { flow: 'db', flow_inputs: {} });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    const approved = await approver('POST', `/api/v1/requests/${id}/approve`, {});
    assert.equal(approved.body.state, 'approved', JSON.stringify(approved.body));
    await kill9(server);
    assert.equal(double.calls.length, 0, 'nothing was escalated before the crash');

    server = await startServer({ ...database.env, SYM_DATA_DIR: database.dataDir, SYM_JOBS: 'on', SYM_JOB_LEASE: '2s' });
    await waitFor('escalation after the restart', async () => (await admin('GET', `/api/v1/requests/${id}`)).body.state === 'active');
    assert.deepEqual(double.calls, [{ action: 'escalate', key: `escalate:${id}` }], 'escalated exactly once');

    // 2. Revoke; SIGKILL while the strategy's call to the API is in flight (held by the double).
    double.holdDeescalations = true;
    const revoked = await requester('POST', `/api/v1/requests/${id}/revoke`, { reason: 'done' });
    assert.equal(revoked.body.state, 'deescalating', JSON.stringify(revoked.body));
    await waitFor('the deescalation to reach the API', () => double.held.length === 1);
    await kill9(server);
    double.holdDeescalations = false;
    for (const res of double.held) res.destroy();

    server = await startServer({ ...database.env, SYM_DATA_DIR: database.dataDir, SYM_JOBS: 'on', SYM_JOB_LEASE: '2s' });
    const done = await waitFor('the deescalation to finish after the restart', async () => {
      const r = await admin('GET', `/api/v1/requests/${id}`);
      return r.body.state === 'done' ? r.body : null;
    });
    const deescalations = double.calls.filter((c) => c.action === 'deescalate');
    assert.ok(deescalations.length >= 2, 'the interrupted deescalation was delivered again');
    assert.ok(
      deescalations.every((c) => c.key === `deescalate:${id}`),
      'every delivery carried the same idempotency key',
    );
    assert.deepEqual(
      [...double.effects.entries()],
      [
        [`escalate:${id}`, 'escalate'],
        [`deescalate:${id}`, 'deescalate'],
      ],
      'each effect happened once',
    );
    const types = (done.events as { type: string }[]).map((e) => e.type);
    assert.deepEqual(types, ['request.created', 'request.approved', 'request.escalated', 'request.revoked', 'request.deescalated']);
  } finally {
    await stop(server);
    await double.close();
  }
}

describe('crash safety of escalation and deescalation (real server process)', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'opensym-crash-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('on a PGlite data directory: each step happens after restart, each effect once', { timeout: 240_000 }, async () => {
    await crashScenario({ env: {}, dataDir: tmp() });
  });

  it('on a PostgreSQL server: each step happens after restart, each effect once', { timeout: 240_000 }, async (t) => {
    const pg = await startThrowawayPostgres();
    if ('skip' in pg) return t.skip(pg.skip);
    try {
      await crashScenario({ env: { DATABASE_URL: pg.url }, dataDir: tmp() });
    } finally {
      await pg.close();
    }
  });
});
