/**
 * The requests benchmark as a paired comparison of builds: `tsx src/compare-requests.ts
 * NAME=path/to/server.js ...` starts every build on its own database (a throwaway PostgreSQL 15
 * cluster, or embedded PGlite with `OPENSYM_COMPARE_DB=pglite`), then loads them in turn, a short
 * slice each (`OPENSYM_COMPARE_SLICE_SECONDS`, default 3), for `OPENSYM_COMPARE_ROUNDS` rounds
 * (default 8), the order rotating every round. Whatever else runs on the machine then weighs on
 * every build alike, which separate runs minutes apart cannot promise on a shared 2-core machine.
 * Prints one row per build: rate over its slices, median of the slices' p99, and server CPU per
 * request (all threads, /proc) over all its slices, split into the main thread and the others
 * (sandbox workers, GC and compiler helpers), and on PostgreSQL the database server's CPU per
 * request (postmaster and its backends), where triggers and query plans cost.
 * `OPENSYM_COMPARE_NODE_ARGS` adds node flags to the servers (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { startThrowawayPostgres } from '../../control-plane/src/test-support/throwaway-postgres';
import { freePort } from './free-port';
import { median } from './median';
import { postmasterPid, processCpuMs, processTreeCpuMs, threadCpuMs } from './process-cpu';
import { progress } from './progress';

const FLOW = 'bench-auto-approve';
const ON_REQUEST = 'import { events } from "sym/sdk";\n\nexport function on_request(event) {\n  return events.approval.approve();\n}\n';
const BODY = JSON.stringify({ flow: FLOW, flow_inputs: { reason: 'bench' } });
const CONNECTIONS = 10;
// Extra node flags for the servers, e.g. `--cpu-prof --cpu-prof-dir=DIR` to profile them.
const nodeArgs = (process.env.OPENSYM_COMPARE_NODE_ARGS ?? '').split(' ').filter(Boolean);

interface Server {
  name: string;
  url: string;
  pid: number;
  token: string;
  stop(): Promise<void>;
}

/** Spawns one build's server.js and waits until its admin token answers `whoami`. */
async function start(name: string, serverJs: string, env: NodeJS.ProcessEnv): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opensym-compare-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...nodeArgs, serverJs], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', SYM_DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${stderr}`);
    const tokenPath = join(dataDir, 'admin-token');
    if (existsSync(tokenPath)) {
      const token = readFileSync(tokenPath, 'utf8').trim();
      const ok = await fetch(`${url}/api/v1/whoami`, { headers: { authorization: `Bearer ${token}` } }).then(
        (r) => r.ok,
        () => false,
      );
      if (token && ok) return { name, url, pid: child.pid!, token, stop };
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`${name} did not start: ${stderr}`);
}

async function post(server: Server, token: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`${server.name} POST ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The auto-approving flow and a member's token, as the requests benchmark sets them up. */
async function prepare(server: Server): Promise<string> {
  const env = await post(server, server.token, '/api/v1/entities/environments', { name: 'bench-requests' });
  await post(server, server.token, '/api/v1/entities/flows', {
    name: FLOW,
    implementation: ON_REQUEST,
    environment_id: env.id,
    params: { prompt_field: [{ name: 'reason', type: 'string', required: true }] },
  });
  const user = await post(server, server.token, '/api/v1/users', { email: 'bench-requester@example.com', role: 'member' });
  const issued = await post(server, server.token, `/api/v1/users/${user.id}/tokens`, {});
  const token = String(issued.token);
  const first = await post(server, token, '/api/v1/events/request', { flow: FLOW, flow_inputs: { reason: 'bench' } });
  if (first.state !== 'approved') throw new Error(`${server.name}: the flow did not auto-approve`);
  return token;
}

function load(server: Server, token: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${server.url}/api/v1/events/request`,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: BODY,
    connections: CONNECTIONS,
    duration: seconds,
  });
}

async function main(): Promise<void> {
  const builds = process.argv.slice(2).map((arg) => {
    const at = arg.indexOf('=');
    if (at < 1 || !existsSync(arg.slice(at + 1))) throw new Error(`expected NAME=path/to/server.js, got ${arg}`);
    return { name: arg.slice(0, at), serverJs: arg.slice(at + 1) };
  });
  if (builds.length === 0) throw new Error('name at least one build: NAME=path/to/server.js');
  const database = process.env.OPENSYM_COMPARE_DB === 'pglite' ? 'pglite' : 'postgres';
  const rounds = Number(process.env.OPENSYM_COMPARE_ROUNDS ?? 8);
  const slice = Number(process.env.OPENSYM_COMPARE_SLICE_SECONDS ?? 3);
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const servers: {
      server: Server;
      token: string;
      dbPid: number | null;
      requests: number;
      cpuMs: number;
      mainMs: number;
      otherMs: number;
      dbMs: number;
      seconds: number;
      p99s: number[];
      cpuPerRequest: number[];
      failures: number;
    }[] = [];
    for (const build of builds) {
      const env: NodeJS.ProcessEnv = {};
      let dbPid: number | null = null;
      if (database === 'postgres') {
        const pg = await startThrowawayPostgres();
        if ('skip' in pg) throw new Error(pg.skip);
        cleanups.unshift(() => pg.close());
        env.DATABASE_URL = pg.url;
        dbPid = postmasterPid(Number(new URL(pg.url).port));
      }
      progress(`compare: starting ${build.name} on ${database}`);
      const server = await start(build.name, build.serverJs, env);
      cleanups.unshift(() => server.stop());
      servers.push({ server, token: await prepare(server), dbPid, requests: 0, cpuMs: 0, mainMs: 0, otherMs: 0, dbMs: 0, seconds: 0, p99s: [], cpuPerRequest: [], failures: 0 });
    }
    for (const s of servers) await load(s.server, s.token, 3);
    for (let round = 0; round < rounds; round++) {
      const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
      for (const s of order) {
        const before = processCpuMs(s.server.pid);
        const threadsBefore = threadCpuMs(s.server.pid);
        const dbBefore = s.dbPid === null ? null : processTreeCpuMs(s.dbPid);
        const result = await load(s.server, s.token, slice);
        const after = processCpuMs(s.server.pid);
        const threadsAfter = threadCpuMs(s.server.pid);
        const dbAfter = s.dbPid === null ? null : processTreeCpuMs(s.dbPid);
        s.mainMs += (threadsAfter?.main ?? 0) - (threadsBefore?.main ?? 0);
        s.otherMs += (threadsAfter?.others ?? 0) - (threadsBefore?.others ?? 0);
        s.dbMs += (dbAfter ?? 0) - (dbBefore ?? 0);
        s.requests += result.requests.total;
        s.cpuMs += (after ?? 0) - (before ?? 0);
        s.seconds += slice;
        s.p99s.push(result.latency.p99);
        if (result.requests.total > 0) s.cpuPerRequest.push(((after ?? 0) - (before ?? 0)) / result.requests.total);
        s.failures += result.non2xx + result.errors + result.timeouts;
      }
      progress(`compare: round ${round + 1}/${rounds} done`);
    }
    // Per round, each build's CPU per request over the first build's: the median of these ratios
    // is the least sensitive to a slice that met a burst of other work.
    const ratio = (s: (typeof servers)[number]) => median(s.cpuPerRequest.map((c, i) => c / servers[0]!.cpuPerRequest[i]!));
    console.log(
      `| build (${database}, ${rounds} × ${slice} s, ${CONNECTIONS} conns) | req/s | p99 (median of slices) | server CPU ms/request (all slices) | median of slices | median ratio to ${servers[0]!.server.name} | main thread / other threads ms/request | database CPU ms/request | failed |`,
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const s of servers) {
      console.log(
        `| ${s.server.name} | ${Math.round(s.requests / s.seconds)} | ${median(s.p99s)} ms | ${(s.cpuMs / s.requests).toFixed(2)} | ${median(s.cpuPerRequest).toFixed(2)} | ${ratio(s).toFixed(3)} | ${(s.mainMs / s.requests).toFixed(2)} / ${(s.otherMs / s.requests).toFixed(2)} | ${s.dbPid === null ? '-' : (s.dbMs / s.requests).toFixed(2)} | ${s.failures} |`,
      );
    }
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
  }
}

await main();
