/**
 * Work half of `pnpm bench`'s full-lifecycle expiry row (bench/src/bench-expiry.ts runs it):
 * 10,000 active grants of an `aws_lambda` flow whose access ends within one minute, taken back by
 * real control-plane servers (dist/server.js: two on a throwaway PostgreSQL, or one on file-backed
 * PGlite) through the whole deescalation path: the job, `request.expired`, `on_deescalate`, the
 * strategy's Lambda call (against the Lambda double), `request.deescalated`.
 *
 * The grants are written straight into the database (requesting and approving 10,000 of them
 * through the API would take longer than the measurement), with their `deescalate` jobs as the
 * request service schedules them. Prints one JSON line: lag = `request.deescalated` time −
 * `activeUntil`, and how many grants were taken back twice (events or Lambda invocations).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type Database } from '../src/db/database';
import { migrationsDir } from '../src/jobs/testing/migrations-dir';
import { freePort } from '../src/test-support/free-port';
import { startLambdaDouble } from '../src/test-support/lambda-double';
import { startThrowawayPostgres } from '../src/test-support/throwaway-postgres';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    grants: { type: 'string', default: '10000' },
    'lead-ms': { type: 'string', default: '15000' },
    'spread-ms': { type: 'string', default: '60000' },
  },
});
const mode = positionals[0];
if (mode !== 'postgres' && mode !== 'pglite') throw new Error('usage: bench-deescalation.ts postgres|pglite');
const grants = Number(values.grants);
const leadMs = Number(values['lead-ms']);
const spreadMs = Number(values['spread-ms']);
const serverJs = path.resolve(import.meta.dirname, '../dist/server.js');
const progress = (message: string) => process.stderr.write(`[bench] deescalation (${mode}): ${message}\n`);

interface Server {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts dist/server.js and waits until it answers `/healthz`. */
async function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // OPENSYM_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the servers.
  const nodeArgs = process.env.OPENSYM_BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, serverJs], { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 600) throw new Error('server did not start within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function api(server: Server, token: string, method: string, route: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text.slice(0, 400)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

const cleanups: (() => Promise<void>)[] = [];
try {
  if (!existsSync(serverJs)) {
    process.stdout.write(`${JSON.stringify({ skipped: 'no control-plane/dist/server.js (run `pnpm build`)' })}\n`);
    process.exit(0);
  }
  const lambda = await startLambdaDouble('us-east-1');
  cleanups.unshift(() => lambda.close());
  const arn = lambda.register('bench-deescalate', () => ({ body: { ok: true } }));

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'opensym-bench-deescalation-'));
  cleanups.unshift(async () => rmSync(dataDir, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = {
    SYM_DATA_DIR: dataDir,
    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'us-east-1',
    LOG_LEVEL: 'warn',
  };
  let location: { url: string } | { dataDir: string } = { dataDir };
  if (mode === 'postgres') {
    const pg = await startThrowawayPostgres();
    if ('skip' in pg) {
      process.stdout.write(`${JSON.stringify({ skipped: pg.skip })}\n`);
      process.exit(0);
    }
    cleanups.unshift(() => pg.close());
    env.DATABASE_URL = pg.url;
    location = { url: pg.url };
  }

  // The flow and its strategy through the API, as Terraform would create them.
  progress('creating the flow through the API');
  const setup = await startServer({ ...env, SYM_JOBS: 'off' });
  const admin = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  const environment = await api(setup, admin, 'POST', '/entities/environments', { name: 'bench' });
  const strategy = await api(setup, admin, 'POST', '/entities/access-strategies', { type: 'aws_lambda', name: 'bench-lambda', targets: [], settings: { arn } });
  const flow = await api(setup, admin, 'POST', '/entities/flows', {
    name: 'bench-expiry',
    implementation: 'export function on_request(event) {}\nexport function on_deescalate(event) {}\n',
    environment_id: environment.id,
    params: { strategy_id: strategy.id, prompt_field: [{ name: 'reason', type: 'string' }] },
  });
  const user = await api(setup, admin, 'POST', '/users', { email: 'bench-grantee@example.com', role: 'member' });
  await setup.stop();

  // 10,000 active grants ending from lead to lead + spread from now, each with its deescalate job.
  let db: Database = await openDatabase(location, migrationsDir);
  const [flowRow] = await db.prisma.$queryRawUnsafe<{ orgId: string; data: unknown; updatedAt: Date }[]>(
    `SELECT "orgId"::text AS "orgId", data, "updatedAt" FROM "Entity" WHERE id = $1::uuid`,
    flow.id,
  );
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO "AccessRequest" ("id", "orgId", "flowId", "flowName", "flowVersion", "flowSnapshot", "requesterId", "fields", "state", "durationSeconds", "activeUntil", "updatedAt")
     SELECT gen_random_uuid(), $1::uuid, $2::uuid, 'bench-expiry', $3, $4::jsonb, $5::uuid, '{"reason":"bench"}'::jsonb, 'active', 60,
            now() + make_interval(secs => ($6::float8 + g::float8 * $7::float8 / $8::float8) / 1000), now()
     FROM generate_series(0, $8::int - 1) AS g`,
    flowRow!.orgId,
    flow.id,
    flowRow!.updatedAt.toISOString(),
    JSON.stringify(flowRow!.data),
    user.id,
    leadMs,
    spreadMs,
    grants,
  );
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO "Job" ("id", "kind", "orgId", "requestId", "payload", "dedupeKey", "runAt", "maxAttempts", "updatedAt")
     SELECT gen_random_uuid(), 'deescalate', "orgId", "id", '{"cause":"expiry"}'::jsonb, 'deescalate:' || "id", "activeUntil", 10, now()
     FROM "AccessRequest" WHERE "flowId" = $1::uuid`,
    flow.id,
  );
  const firstDue = Date.now() + leadMs;
  // PGlite allows one process at a time: the servers open it after this.
  await db.close();
  progress(`${grants} active grants ending from ${leadMs} ms to ${leadMs + spreadMs} ms from now`);

  const servers = await Promise.all((mode === 'postgres' ? [1, 2] : [1]).map(() => startServer(env)));
  cleanups.unshift(async () => void (await Promise.all(servers.map((s) => s.stop()))));
  progress(`${servers.length} server(s) running; the first grant ends in ${firstDue - Date.now()} ms`);

  // Done when nothing is left active or being taken back. The Lambda double's count is watched
  // first (free); the API is asked only at the end, so polling does not load the servers meanwhile.
  const deadline = firstDue + spreadMs + 300_000;
  const invoked = () => lambda.calls.filter((c) => c.operation === 'Invoke').length;
  while (invoked() < grants && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
  for (;;) {
    const open = await Promise.all(
      ['active', 'deescalating', 'deescalation_failed'].map(async (state) => {
        const page = await api(servers[0]!, admin, 'GET', `/requests?state=${state}&limit=1`);
        return (page.data as unknown[]).length;
      }),
    );
    if (open.every((n) => n === 0) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await Promise.all(servers.map((s) => s.stop()));

  db = await openDatabase(location, migrationsDir);
  cleanups.unshift(() => db.close());
  const [lag] = await db.prisma.$queryRawUnsafe<{ p50: number; p99: number; max: number; done: bigint; events: bigint }[]>(
    `
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
           max(ms) AS max, count(DISTINCT id) AS done, count(*) AS events
    FROM (SELECT r.id, extract(epoch FROM (e."at" - r."activeUntil")) * 1000 AS ms
          FROM "AccessRequest" r JOIN "AuditEvent" e ON e."requestId" = r.id AND e.type = 'request.deescalated'
          WHERE r."flowId" = $1::uuid) t`,
    flow.id,
  );
  // Lag over time (by tenth of the grants, in expiry order): a backlog that builds shows here.
  const tenths = await db.prisma.$queryRawUnsafe<{ tenth: number; p50: number; max: number }[]>(
    `
    SELECT tenth, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, max(ms) AS max
    FROM (SELECT ntile(10) OVER (ORDER BY r."activeUntil") AS tenth, extract(epoch FROM (e."at" - r."activeUntil")) * 1000 AS ms
          FROM "AccessRequest" r JOIN "AuditEvent" e ON e."requestId" = r.id AND e.type = 'request.deescalated'
          WHERE r."flowId" = $1::uuid) t GROUP BY tenth ORDER BY tenth`,
    flow.id,
  );
  progress(`lag by tenth of the grants (p50/max ms): ${tenths.map((t) => `${Math.round(Number(t.p50))}/${Math.round(Number(t.max))}`).join(' ')}`);
  const buckets = await db.prisma.$queryRawUnsafe<{ b: number; n: bigint }[]>(
    `
    SELECT floor(extract(epoch FROM (e."at" - (SELECT min("activeUntil") FROM "AccessRequest" WHERE "flowId" = $1::uuid))) / 5) AS b, count(*) AS n
    FROM "AuditEvent" e JOIN "AccessRequest" r ON r.id = e."requestId" AND r."flowId" = $1::uuid
    WHERE e.type = 'request.deescalated' GROUP BY 1 ORDER BY 1`,
    flow.id,
  );
  progress(`taken back per 5 s from the first expiry: ${buckets.map((b) => Number(b.n)).join(' ')}`);
  const invocations = new Map<string, number>();
  for (const call of lambda.calls) {
    if (call.operation !== 'Invoke') continue;
    const payload = JSON.parse(String(call.body)) as { request_id?: string; event?: { type?: string }; action?: string };
    const key = String(payload.request_id);
    invocations.set(key, (invocations.get(key) ?? 0) + 1);
  }
  const twiceByLambda = [...invocations.values()].filter((n) => n > 1).length;
  const result = {
    mode,
    instances: servers.length,
    jobs: grants,
    spreadMs,
    done: Number(lag!.done),
    failed: grants - Number(lag!.done),
    p50Ms: Number(lag!.p50),
    p99Ms: Number(lag!.p99),
    maxMs: Number(lag!.max),
    duplicates: Number(lag!.events) - Number(lag!.done) + twiceByLambda,
    lambdaInvocations: [...invocations.values()].reduce((a, b) => a + b, 0),
    handler: 'full deescalation: job, request.expired, on_deescalate, aws_lambda Invoke (double), request.deescalated',
    loadAverage: Number(os.loadavg()[0]!.toFixed(1)),
  };
  progress(JSON.stringify(result));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  for (const cleanup of cleanups) await cleanup().catch((err) => progress(`clean-up failed: ${err}`));
}
