import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createSymClient, SymApiError, type AccessRequest } from '@opensym/api-client';
import { parseField, parseJsonField } from './commands/request';
import { credentialsPath, readStoredCredentials, resolveCredentials, writeStoredCredentials } from './credentials';
import { EXIT, exitCodeForState } from './exit-codes';
import { reportError, type Io } from './io';
import { formatTable } from './table';
import { runSym } from './program';
import { waitForRequest } from './wait-for-request';

/** An Io that records what was written. */
function recordingIo(errIsTty = false): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', errIsTty, out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

describe('exit codes', () => {
  test('each settled state has its own code; pending, and approved on a strategy flow, keep waiting', () => {
    assert.equal(exitCodeForState('pending', true), null);
    assert.equal(exitCodeForState('approved', false), null);
    assert.equal(exitCodeForState('approved', true), EXIT.ok);
    assert.equal(exitCodeForState('active', false), EXIT.ok);
    const failures = (['denied', 'expired', 'failed', 'ignored', 'done'] as const).map((s) => exitCodeForState(s, false));
    assert.deepEqual(failures, [EXIT.denied, EXIT.expired, EXIT.failed, EXIT.ignored, EXIT.ended]);
    assert.equal(new Set([...failures, EXIT.ok, EXIT.error, EXIT.interrupted]).size, 8, 'all distinct');
    // Taken back without ever being active: the escalation failed, not a grant that ended.
    for (const state of ['deescalating', 'deescalation_failed', 'done'] as const) assert.equal(exitCodeForState(state, false, false), EXIT.failed);
  });
});

describe('--field parsing', () => {
  test('k=v keeps everything after the first = as a string; --field-json parses the value', () => {
    assert.deepEqual(parseField('b=x=y', parseField('a=1')), { a: '1', b: 'x=y' });
    assert.deepEqual(parseJsonField('ok=true', parseJsonField('n=[1,2]')), { n: [1, 2], ok: true });
    assert.throws(() => parseField('novalue'), /expected name=value/);
    assert.throws(() => parseJsonField('ok=yes'), /not JSON/);
  });
});

describe('credentials', () => {
  test('are written with mode 0600 (also over an existing looser file) and read back', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sym-creds-'));
    try {
      const file = credentialsPath({ HOME: dir });
      assert.equal(file, path.join(dir, '.config', 'opensym', 'credentials.json'));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, '{}');
      chmodSync(file, 0o644);
      await writeStoredCredentials({ apiUrl: 'http://a', token: 'sym_1' }, file);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.deepEqual(await readStoredCredentials(file), { apiUrl: 'http://a', token: 'sym_1' });
      assert.equal(credentialsPath({ HOME: dir, XDG_CONFIG_HOME: '/x' }), '/x/opensym/credentials.json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SYM_API_URL and SYM_JWT override the stored values; nothing at all is an error saying how to log in', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sym-creds-'));
    try {
      await assert.rejects(resolveCredentials({ HOME: dir }), /not logged in: run `sym login`/);
      await writeStoredCredentials({ apiUrl: 'http://stored', token: 'sym_stored' }, credentialsPath({ HOME: dir }));
      assert.deepEqual(await resolveCredentials({ HOME: dir }), { apiUrl: 'http://stored', token: 'sym_stored' });
      assert.deepEqual(await resolveCredentials({ HOME: dir, SYM_JWT: 'sym_env' }), { apiUrl: 'http://stored', token: 'sym_env' });
      assert.deepEqual(await resolveCredentials({ HOME: dir, SYM_API_URL: 'http://env', SYM_JWT: 'sym_env' }), { apiUrl: 'http://env', token: 'sym_env' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('output', () => {
  test('tables align columns and show empty cells as -', () => {
    assert.equal(
      formatTable(
        ['id', 'state'],
        [
          ['a', 'pending'],
          ['bbb', null],
        ],
      ),
      'ID   STATE\na    pending\nbbb  -\n',
    );
  });

  test('an API error is one line on stderr (plus field pointers), or its problem JSON on stdout', () => {
    const err = new SymApiError({ type: 'about:blank', title: 'Conflict', status: 409, code: 'last_admin', detail: 'the last admin token', errors: [{ pointer: '/role', detail: 'no' }] });
    const human = recordingIo();
    assert.equal(reportError(human, false, err), EXIT.error);
    assert.equal(human.stderr, 'error: Conflict: the last admin token\n  /role: no\n');
    assert.equal(human.stdout, '');
    const machine = recordingIo();
    reportError(machine, true, err);
    assert.deepEqual(JSON.parse(machine.stdout), err.problem);
  });

  test('a network error names its cause', () => {
    const io = recordingIo();
    reportError(io, false, new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') }));
    assert.equal(io.stderr, 'error: fetch failed: connect ECONNREFUSED 127.0.0.1:1\n');
  });
});

describe('waitForRequest', () => {
  const request = (state: AccessRequest['state']) => ({ id: 'r1', state, flow: { id: 'f1', name: 'flow', version: 'v' } }) as AccessRequest;
  /** A client whose GET /requests/r1 answers the given states in turn. */
  function clientAnswering(states: AccessRequest['state'][], flowParams: Record<string, unknown> = {}) {
    let n = 0;
    return createSymClient({
      baseUrl: 'http://cp.test',
      token: 't',
      fetch: async (req) => {
        const url = new URL(req.url);
        const body = url.pathname.startsWith('/api/v1/entities/flows/') ? { id: 'f1', params: flowParams } : request(states[Math.min(n++, states.length - 1)]);
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
  }

  test('polls until the request settles; approved ends the wait only on an approval-only flow', async () => {
    const io = recordingIo();
    const approvalOnly = await waitForRequest(clientAnswering(['pending', 'approved']), request('pending'), { io, intervalMs: 1, signal: new AbortController().signal });
    assert.deepEqual([approvalOnly.code, approvalOnly.request.state], [EXIT.ok, 'approved']);
    const withStrategy = await waitForRequest(clientAnswering(['approved', 'approved', 'failed'], { strategy_id: 's' }), request('pending'), {
      io,
      intervalMs: 1,
      signal: new AbortController().signal,
    });
    assert.deepEqual([withStrategy.code, withStrategy.request.state], [EXIT.failed, 'failed']);
    assert.equal(io.stderr, '', 'nothing drawn when stderr is not a terminal');
  });

  test('a 5xx while polling does not end the wait; a 4xx does', async () => {
    const answers = [503, 200];
    const client = createSymClient({
      baseUrl: 'http://cp.test',
      token: 't',
      fetch: async () => {
        const status = answers.shift() ?? 404;
        const body = status === 200 ? request('denied') : { type: 'about:blank', title: 'Nope', status, code: status === 503 ? 'unavailable' : 'not_found' };
        return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
      },
    });
    const outcome = await waitForRequest(client, request('pending'), { io: recordingIo(), intervalMs: 1, signal: new AbortController().signal });
    assert.equal(outcome.code, EXIT.denied);
    await assert.rejects(
      waitForRequest(client, request('pending'), { io: recordingIo(), intervalMs: 1, signal: new AbortController().signal }),
      (err: unknown) => err instanceof SymApiError && err.status === 404,
    );
  });

  test('draws a progress line on a terminal and clears it; an abort stops waiting', async () => {
    const io = recordingIo(true);
    const controller = new AbortController();
    controller.abort();
    const outcome = await waitForRequest(clientAnswering(['pending']), request('pending'), { io, intervalMs: 1000, signal: controller.signal });
    assert.deepEqual([outcome.code, outcome.interrupted, outcome.request.state], [EXIT.interrupted, true, 'pending']);
    assert.match(io.stderr, /request r1: pending \(0s, Ctrl-C stops waiting\)/);
    assert.ok(io.stderr.endsWith('\r\x1b[2K'), 'the line is cleared at the end');
  });
});

describe('help', () => {
  test('request --help shows the --interval default in seconds, its unit', async () => {
    const io = recordingIo();
    assert.equal(await runSym(['request', '--help'], io, {}), 0);
    assert.match(io.stdout, /--interval <seconds>\s+how often --wait polls \(default: 1\)/);
  });
});
