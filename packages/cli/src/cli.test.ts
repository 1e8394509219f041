/**
 * The `sym` CLI as a user runs it: the bundled bin as a child process against a real control
 * plane server on embedded PGlite (its first admin token from SYM_DATA_DIR).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { unwrap, type AccessRequest, type Problem, type Whoami } from '@opensym/api-client';
import { EXIT } from './exit-codes';
import { startControlPlane, type ControlPlaneProcess } from './test-support/control-plane-process';
import { runSymProcess, startSym, symBundle } from './test-support/sym-process';

const STRATEGY_SOURCE = `import { AccessStrategy } from 'sym/sdk/strategies';
export default class extends AccessStrategy { escalate() {} deescalate() {} }
`;

// Escalation overflows the guest's stack: a permanent sandbox error, so the request fails at once.
const FAILING_STRATEGY_SOURCE = `import { AccessStrategy } from 'sym/sdk/strategies';
export default class extends AccessStrategy { escalate() { const down = (n) => down(n + 1) + 1; return down(0); } deescalate() {} }
`;

let cp: ControlPlaneProcess;
/** A second server whose pending requests expire after one second (SYM_PENDING_TTL). */
let shortTtl: ControlPlaneProcess;
let home: string;
/** Environment for a CLI run with the given token (nothing stored). */
const as = (token: string) => ({ SYM_API_URL: cp.url, SYM_JWT: token, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') });
const tokens: Record<'alice' | 'bob', string> = { alice: '', bob: '' };

before(async () => {
  const build = spawnSync(process.execPath, [path.join(path.dirname(symBundle), '..', 'scripts', 'build.mjs')], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  home = mkdtempSync(path.join(os.tmpdir(), 'opensym-cli-home-'));
  // Both start at once; if one fails, the other is still assigned so `after` stops it.
  const started = await Promise.allSettled([startControlPlane(), startControlPlane({ SYM_PENDING_TTL: '1s' })]);
  [cp, shortTtl] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined!));
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  // An approval-only flow (no strategy) and one whose custom strategy grants at once.
  const env = await unwrap(cp.admin.raw.POST('/api/v1/entities/environments', { body: { name: 'cli-test' } }));
  await unwrap(
    cp.admin.raw.POST('/api/v1/entities/flows', {
      body: {
        name: 'approval-only',
        environment_id: idOf(env),
        implementation: 'export function on_request(event) {}\n',
        params: { prompt_field: [{ name: 'why', type: 'string', required: true }] },
      },
    }),
  );
  const strategy = await unwrap(cp.admin.raw.POST('/api/v1/entities/access-strategies', { body: { type: 'custom', name: 'instant', targets: [], implementation: STRATEGY_SOURCE } }));
  await unwrap(
    cp.admin.raw.POST('/api/v1/entities/flows', {
      body: { name: 'granted', environment_id: idOf(env), implementation: 'export function on_request(event) {}\n', params: { strategy_id: idOf(strategy) } },
    }),
  );
  const failing = await unwrap(cp.admin.raw.POST('/api/v1/entities/access-strategies', { body: { type: 'custom', name: 'overflow', targets: [], implementation: FAILING_STRATEGY_SOURCE } }));
  await unwrap(
    cp.admin.raw.POST('/api/v1/entities/flows', {
      body: { name: 'breaks', environment_id: idOf(env), implementation: 'export function on_request(event) {}\n', params: { strategy_id: idOf(failing) } },
    }),
  );
  const shortEnv = await unwrap(shortTtl.admin.raw.POST('/api/v1/entities/environments', { body: { name: 'short' } }));
  await unwrap(
    shortTtl.admin.raw.POST('/api/v1/entities/flows', {
      body: { name: 'nobody-decides', environment_id: idOf(shortEnv), implementation: 'export function on_request(event) {}\n', params: {} },
    }),
  );
  await shortTtl.admin.users.create({ email: 'someone@example.com' });
});

after(async () => {
  await Promise.all([cp?.stop(), shortTtl?.stop()]);
  if (home) rmSync(home, { recursive: true, force: true });
});

/** The id of a created entity (the entity schemas type it as nullable; a created one has one). */
function idOf(entity: { id?: string | null }): string {
  assert.ok(entity.id, `no id in ${JSON.stringify(entity)}`);
  return entity.id;
}

/** Parses stdout as JSON, with the whole output in the message when it is not. */
function json<T>(result: { stdout: string; stderr: string }): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

describe('sym against a running control plane', { timeout: 5 * 60_000 }, () => {
  test('login checks the token with whoami and stores URL and token with mode 0600; later commands use them', async () => {
    const loginHome = mkdtempSync(path.join(os.tmpdir(), 'opensym-cli-login-'));
    try {
      const env = { HOME: loginHome, XDG_CONFIG_HOME: '' };
      const bad = await runSymProcess(['login', '--url', cp.url], env, 'sym_not_a_token\n');
      assert.equal(bad.code, EXIT.error, bad.stderr);
      assert.match(bad.stderr, /^error: .+/m);
      const file = path.join(loginHome, '.config', 'opensym', 'credentials.json');
      assert.throws(() => statSync(file), /ENOENT/, 'a refused token is not stored');

      const ok = await runSymProcess(['login', '--url', cp.url], env, `${cp.adminToken}\n`);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /Logged in to .* \(organization default, role admin\)/);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { api_url: cp.url, token: cp.adminToken });

      const me = await runSymProcess(['whoami', '--json'], env);
      assert.equal(me.code, 0, me.stderr);
      assert.equal(json<{ token: { role: string } }>(me).token.role, 'admin');
    } finally {
      rmSync(loginHome, { recursive: true, force: true });
    }
  });

  test('login --json prints the URL, the credentials file and whoami as JSON (never the token) and stores them; a refused token is problem JSON', async () => {
    const loginHome = mkdtempSync(path.join(os.tmpdir(), 'opensym-cli-login-json-'));
    try {
      const file = path.join(loginHome, 'config', 'opensym', 'credentials.json');
      const env = { HOME: loginHome, XDG_CONFIG_HOME: path.join(loginHome, 'config') };
      const bad = await runSymProcess(['login', '--json', '--url', cp.url], { ...env, SYM_JWT: 'sym_not_a_token' });
      assert.equal(bad.code, EXIT.error, bad.stderr);
      assert.equal(json<Problem>(bad).status, 401);
      assert.throws(() => statSync(file), /ENOENT/, 'a refused token is not stored');

      const ok = await runSymProcess(['login', '--json', '--url', cp.url], { ...env, SYM_JWT: cp.adminToken });
      assert.equal(ok.code, 0, ok.stderr);
      const out = json<{ api_url: string; credentials_file: string; whoami: Whoami }>(ok);
      assert.deepEqual(Object.keys(out).sort(), ['api_url', 'credentials_file', 'whoami']);
      assert.equal(out.api_url, cp.url);
      assert.equal(out.credentials_file, file);
      assert.deepEqual(out.whoami, await cp.admin.whoami(), 'the control plane’s own whoami answer');
      assert.ok(!ok.stdout.includes(cp.adminToken) && !ok.stderr.includes(cp.adminToken), 'the token is not printed');
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { api_url: cp.url, token: cp.adminToken });
    } finally {
      rmSync(loginHome, { recursive: true, force: true });
    }
  });

  test('users create/list and tokens issue give each person a working token', async () => {
    for (const email of ['alice@example.com', 'bob@example.com']) {
      const created = await runSymProcess(['users', 'create', email, '--role', 'member'], as(cp.adminToken));
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, new RegExp(`${email}\\s+member`));
    }
    const list = await runSymProcess(['users', 'list', '--json'], as(cp.adminToken));
    assert.deepEqual(
      json<{ email: string }[]>(list)
        .map((u) => u.email)
        .sort(),
      ['alice@example.com', 'bob@example.com'],
    );

    const alice = await runSymProcess(['tokens', 'issue', '--name', 'alice-cli', '--user', 'alice@example.com'], as(cp.adminToken));
    assert.equal(alice.code, 0, alice.stderr);
    assert.match(alice.stderr, /shown only this once/);
    tokens.alice = alice.stdout.trim();
    const bob = await runSymProcess(['--json', 'tokens', 'issue', '--name', 'bob-cli', '--user', 'bob@example.com'], as(cp.adminToken));
    assert.equal(bob.code, 0, bob.stderr);
    tokens.bob = json<{ token: string; role: string }>(bob).token;

    const whoami = await runSymProcess(['whoami', '--json'], as(tokens.alice));
    assert.equal(json<{ user: { email: string } }>(whoami).user.email, 'alice@example.com');
    const listed = await runSymProcess(['tokens', 'list', '--user', 'bob@example.com', '--json'], as(cp.adminToken));
    const bobTokens = json<Record<string, unknown>[]>(listed);
    assert.deepEqual(
      bobTokens.map((t) => t.name),
      ['bob-cli'],
    );
    assert.ok(
      bobTokens.every((t) => !('token' in t)),
      'a listed token carries no secret',
    );
  });

  test('request --wait exits 0 once another member approves', async () => {
    const waiting = startSym(['request', 'approval-only', '--field', 'why=debug a customer issue', '--wait', '--interval', '0.2'], as(tokens.alice));
    const [, id] = await waiting.stderrMatch(/Request (\S+) is pending; waiting/);
    const approve = await runSymProcess(['approve', id, '--reason', 'looks fine'], as(tokens.bob));
    assert.equal(approve.code, 0, approve.stderr);
    assert.match(approve.stdout, new RegExp(`Request ${id} \\(approval-only\\) is approved \\(reason: looks fine\\)`));
    const result = await waiting.done;
    assert.equal(result.code, EXIT.ok, result.stderr);
    assert.match(result.stdout, new RegExp(`Request ${id} \\(approval-only\\) is approved`));
    // eslint-disable-next-line no-control-regex -- the spinner's escape sequence is what must be absent
    assert.doesNotMatch(result.stderr, /\x1b\[/, 'no spinner when stderr is not a terminal');
  });

  test('request --wait --json exits 3 on denial with the request as JSON on stdout', async () => {
    const waiting = startSym(['--json', 'request', 'approval-only', '-f', 'why=please', '--wait', '--interval', '0.2'], as(tokens.alice));
    const [, id] = await waiting.stderrMatch(/Request (\S+) is pending/);
    const deny = await runSymProcess(['deny', id, '--reason', 'not today', '--json'], as(tokens.bob));
    assert.equal(deny.code, 0, deny.stderr);
    assert.equal(json<AccessRequest>(deny).state, 'denied');
    const result = await waiting.done;
    assert.equal(result.code, EXIT.denied, result.stderr);
    const request = json<AccessRequest>(result);
    assert.equal(request.id, id);
    assert.equal(request.state, 'denied');
    assert.equal(request.reason, 'not today');
  });

  test('request --wait on a flow with a strategy exits 0 once access is active; revoke takes it back', async () => {
    const waiting = startSym(['--json', 'request', 'granted', '--for', 'alice@example.com', '--wait', '--interval', '0.2'], as(cp.adminToken));
    const [, id] = await waiting.stderrMatch(/Request (\S+) is pending/);
    const approve = await runSymProcess(['approve', id], as(tokens.bob));
    assert.equal(approve.code, 0, approve.stderr);
    const result = await waiting.done;
    assert.equal(result.code, EXIT.ok, `${result.stderr}\n${cp.logTail()}`);
    const request = json<AccessRequest>(result);
    assert.equal(request.state, 'active', 'approved is not the end on a flow with a strategy');
    assert.equal(request.requester.email, 'alice@example.com');
    const revoke = await runSymProcess(['revoke', id, '--reason', 'done', '--json'], as(tokens.bob));
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.match(json<AccessRequest>(revoke).state, /^(deescalating|done)$/);
  });

  test('request --wait exits 5 when the strategy fails to grant the approved access', async () => {
    const waiting = startSym(['--json', 'request', 'breaks', '--for', 'alice@example.com', '--wait', '--interval', '0.2'], as(cp.adminToken));
    const [, id] = await waiting.stderrMatch(/Request (\S+) is pending/);
    const approve = await runSymProcess(['approve', id], as(tokens.bob));
    assert.equal(approve.code, 0, approve.stderr);
    const result = await waiting.done;
    assert.equal(result.code, EXIT.failed, `${result.stdout}\n${result.stderr}\n${cp.logTail()}`);
    const request = json<AccessRequest>(result);
    // A strategy failure may follow a grant, so the control plane takes the access back at once.
    assert.ok(['deescalating', 'deescalation_failed', 'done'].includes(request.state), request.state);
    assert.equal(request.active_until, null);
    const full = await cp.admin.requests.get(id);
    assert.ok(
      full.events?.some((e) => e.type === 'request.escalation_failed'),
      JSON.stringify(full.events?.map((e) => e.type)),
    );
  });

  test('request --wait exits 4 when nobody decides before the pending TTL', async () => {
    const env = { SYM_API_URL: shortTtl.url, SYM_JWT: shortTtl.adminToken, HOME: home };
    const result = await runSymProcess(['request', 'nobody-decides', '--for', 'someone@example.com', '--wait', '--interval', '0.2'], env);
    assert.equal(result.code, EXIT.expired, `${result.stdout}\n${result.stderr}\n${shortTtl.logTail()}`);
    assert.match(result.stdout, /is expired/);
  });

  test('Ctrl-C stops waiting (exit 130) and leaves the request pending', async () => {
    const waiting = startSym(['request', 'approval-only', '--field', 'why=x', '--wait', '--interval', '0.2'], as(tokens.alice));
    const [, id] = await waiting.stderrMatch(/Request (\S+) is pending/);
    waiting.child.kill('SIGINT');
    const result = await waiting.done;
    assert.equal(result.code, EXIT.interrupted, result.stderr);
    assert.match(result.stderr, new RegExp(`Stopped waiting; request ${id} is still pending \\(not cancelled\\)`));
    const request = await cp.admin.requests.get(id);
    assert.equal(request.state, 'pending');
  });

  test('a retried approve with the same --idempotency-key gets the first answer again', async () => {
    const created = await runSymProcess(['--json', 'request', 'approval-only', '--field', 'why=retry'], as(tokens.alice));
    const { id } = json<AccessRequest>(created);
    const first = await runSymProcess(['--json', 'approve', id, '--idempotency-key', `approve-${id}`], as(tokens.bob));
    const again = await runSymProcess(['--json', 'approve', id, '--idempotency-key', `approve-${id}`], as(tokens.bob));
    assert.equal(first.code, 0, first.stderr);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(json(again), json(first));
    // Without the key, the second approve is a new call and the request is no longer pending.
    const fresh = await runSymProcess(['approve', id], as(tokens.bob));
    assert.equal(fresh.code, EXIT.error);
    assert.match(fresh.stderr, /^error: .+: .+/m);
  });

  test('requests lists with filters (--mine, --state) as a table and as JSON', async () => {
    const mine = await runSymProcess(['requests', '--mine', '--json'], as(tokens.alice));
    assert.equal(mine.code, 0, mine.stderr);
    const list = json<AccessRequest[]>(mine);
    assert.ok(list.length >= 4);
    assert.ok(list.every((r) => r.requester.email === 'alice@example.com'));
    const denied = await runSymProcess(['requests', '--state', 'denied'], as(cp.adminToken));
    assert.equal(denied.code, 0, denied.stderr);
    const [header, ...rows] = denied.stdout.trim().split('\n');
    assert.match(header, /^ID\s+STATE\s+FLOW\s+REQUESTER\s+CREATED\s+DECIDED BY$/);
    assert.ok(rows.length >= 1 && rows.every((row) => /\sdenied\s+approval-only\s+alice@example\.com\s/.test(row)), denied.stdout);
    const limited = await runSymProcess(['requests', '--limit', '1', '--json'], as(cp.adminToken));
    assert.equal(json<unknown[]>(limited).length, 1);
  });

  test('an API problem is shown as "error: <title>: <detail>" with field pointers, or as problem JSON with --json', async () => {
    const human = await runSymProcess(['request', 'approval-only'], as(tokens.alice));
    assert.equal(human.code, EXIT.error);
    assert.equal(human.stdout, '');
    assert.match(human.stderr, /^error: [^:\n]+: .+\n {2}\/flow_inputs\/why: .+/);
    const machine = await runSymProcess(['request', 'approval-only', '--json'], as(tokens.alice));
    assert.equal(machine.code, EXIT.error);
    const problem = json<Problem>(machine);
    assert.equal(problem.status, 422);
    assert.equal(problem.code, 'validation_failed');
    assert.ok(problem.errors?.some((e) => e.pointer === '/flow_inputs/why'));
  });

  test('users set-role changes a role; revoking the last admin token is refused with 409 last_admin', async () => {
    const demoted = await runSymProcess(['--json', 'users', 'set-role', 'bob@example.com', 'guest'], as(cp.adminToken));
    assert.equal(demoted.code, 0, demoted.stderr);
    assert.equal(json<{ role: string }>(demoted).role, 'guest');

    const me = await cp.admin.whoami();
    const refused = await runSymProcess(['tokens', 'revoke', me.token.id], as(cp.adminToken));
    assert.equal(refused.code, EXIT.error);
    assert.match(refused.stderr, /^error: .+: .+/);
    const asJson = await runSymProcess(['tokens', 'revoke', me.token.id, '--json'], as(cp.adminToken));
    const problem = json<Problem>(asJson);
    assert.equal(problem.status, 409);
    assert.equal(problem.code, 'last_admin');
    assert.equal((await cp.admin.whoami()).token.id, me.token.id, 'the token still works');

    const alice = await runSymProcess(['--json', 'tokens', 'list', '--user', 'alice@example.com'], as(cp.adminToken));
    const [aliceToken] = json<{ id: string }[]>(alice);
    const revoked = await runSymProcess(['tokens', 'revoke', aliceToken.id], as(cp.adminToken));
    assert.equal(revoked.code, 0, revoked.stderr);
    const gone = await runSymProcess(['whoami'], as(tokens.alice));
    assert.equal(gone.code, EXIT.error);
    assert.match(gone.stderr, /^error: /);
  });
});
