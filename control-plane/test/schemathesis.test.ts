// The API fuzz suite: schemathesis (PyPI, installed by scripts/install-schemathesis.sh) runs every
// operation of the OpenAPI document with every check against a control plane on in-memory PGlite
// that this test starts on a free port, job runner on as in production (so /readyz is 200). Passing means 0 server errors and 0 schema failures.
// Run with `pnpm --dir control-plane run test:schemathesis` (scripts/test.sh does, as its own suite).
// OPENSYM_FUZZ_MAX_EXAMPLES, OPENSYM_FUZZ_SEED and OPENSYM_FUZZ_ARGS (extra arguments, such as
// `--include-path-regex /users`) narrow or widen a run while developing.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { startTestControlPlane, type TestControlPlane } from '../src/test-support/test-control-plane';

const repoRoot = path.resolve(import.meta.dirname, '../..');

let t: TestControlPlane;
let server: Server;
let baseUrl: string;
let workDir: string;

before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'opensym-schemathesis-'));
  // Errors the server logs (an unhandled error behind a 500) are kept for the failure message.
  const serverLog = createWriteStream(path.join(workDir, 'server.log'));
  t = await startTestControlPlane(undefined, { logger: pino({ level: 'error' }, serverLog) });
  server = t.cp.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // As server.ts does with SYM_JOBS on (the default): the job runner starts once the server
  // listens, so /readyz answers 200 like a production process's (the runner stops in close()).
  t.cp.jobs.start();
});
after(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await t?.close();
});

/** Runs a command without blocking this process's event loop (the server under test lives in it). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile);
    // In the scratch directory: schemathesis keeps a cache in its working directory.
    const child = spawn(command, args, { cwd: path.dirname(logFile), env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.once('error', reject);
    child.once('close', (code) => out.end(() => resolve(code ?? 1)));
  });
}

const tail = (text: string, lines: number) => text.split('\n').slice(-lines).join('\n');

describe('schemathesis over the whole API', () => {
  it('finds no server error and no schema failure with --checks all, and authenticates until the end', { timeout: 20 * 60_000 }, async () => {
    const { stdout } = await promisify(execFile)('bash', [path.join(repoRoot, 'scripts/install-schemathesis.sh')]);
    const schemathesis = stdout.trim();
    const bearer = { Authorization: `Bearer ${t.admin}` };
    const me = await t.request.get('/api/v1/whoami').set(bearer);
    assert.equal(me.status, 200);
    // schemathesis counts any 5xx as a failure, /readyz's 503 included: the server must be ready.
    const ready = await t.request.get('/readyz');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));

    const logFile = path.join(workDir, 'schemathesis.log');
    const args = [
      '--config-file',
      path.join(import.meta.dirname, 'schemathesis.toml'),
      'run',
      `${baseUrl}/api/v1/openapi.json`,
      '--url',
      baseUrl,
      '--header',
      `Authorization: Bearer ${t.admin}`,
      '--checks',
      'all',
      // Bounded: a few cases per operation and phase keeps the run to minutes on two slow cores.
      '--max-examples',
      process.env.OPENSYM_FUZZ_MAX_EXAMPLES ?? '10',
      '--seed',
      process.env.OPENSYM_FUZZ_SEED ?? '7',
      '--workers',
      '1',
      '--suppress-health-check',
      'all',
      '--generation-database',
      'none',
      '--request-timeout',
      '30',
      '--no-color',
      ...(process.env.OPENSYM_FUZZ_ARGS?.split(' ').filter(Boolean) ?? []),
    ];
    const env = {
      ...process.env,
      // The hooks keep the stateful phase from revoking the token the run authenticates with.
      SCHEMATHESIS_HOOKS: path.join(import.meta.dirname, 'schemathesis_hooks.py'),
      OPENSYM_FUZZ_TOKEN_ID: me.body.token.id,
    };
    const code = await run(schemathesis, args, env, logFile);

    const output = await readFile(logFile, 'utf8');
    const serverErrors = await readFile(path.join(workDir, 'server.log'), 'utf8').catch(() => '');
    assert.equal(code, 0, `schemathesis exited with ${code}; full output in ${logFile}\n${tail(output, 120)}\n--- server errors ---\n${tail(serverErrors, 40)}`);
    const still = await t.request.get('/api/v1/whoami').set(bearer);
    assert.equal(still.status, 200, 'the token the run used still authenticates');
  });
});
