// Hostile Python: hostile-corpus.test.ts's cases ported to Python, plus Python's own ways out
// (foreign-function modules, gc and __subclasses__ traversal, sys.modules, frames and code
// objects, __import__, open, os, subprocess, socket, threads). Every case must end with the
// expected outcome, and none may reach the host: a canary in the process environment, a canary
// file, and a listener on 127.0.0.1 must stay untouched, and a normal hook of another tenant
// still runs afterwards.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync, existsSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSandbox } from '../create-sandbox';
import { type HttpDouble, LOOPBACK_EGRESS, startHttpDouble } from '../http-double';
import type { JsonValue } from '../sandbox-call';
import { SandboxError, type SandboxErrorCode } from '../sandbox-error';
import type { SandboxHost } from '../sandbox-host';

/** CPython cannot be interrupted from outside, so a CPU stop is a worker stop; 1 s keeps cold paths clear of it. */
const LIMITS = { cpuMs: 1000, hostCallTimeoutMs: 2000, maxHostCalls: 20 };
const CANARY = `canary-${process.pid}-7c1e0d`;
const CANARY_FILE = path.join(tmpdir(), `sym-python-canary-${process.pid}`);
const MARKER_FILE = path.join(tmpdir(), `sym-python-marker-${process.pid}`);

interface HostileCase {
  name: string;
  /** Body of `def on_request(event):` (indented here), or a whole module. */
  body?: string;
  module?: string;
  expect: SandboxErrorCode | SandboxErrorCode[] | { value: (value: JsonValue | undefined) => void };
  message?: RegExp;
  limits?: Partial<typeof LIMITS> & { memoryBytes?: number };
  afterwards?: () => void;
}

let allowed: HttpDouble;
let forbidden: HttpDouble;
let listener: Server;
let listenerPort = 0;
let connections = 0;

/** The real import function, reached through the guard's globals (a policy bypass the WASI layer must survive). */
const REAL_IMPORT = "ri = __import__.__globals__['_real_import']";

/** Runs each attempt and reports what happened: the value or the exception's type and text. */
const PROBE = `def probe(fn):
    try:
        return ["ok", repr(fn())[:300]]
    except BaseException as e:
        return [type(e).__name__, str(e)[:300]]
`;

const noCanary = (v: JsonValue | undefined) => {
  const text = JSON.stringify(v) ?? '';
  assert.ok(!text.includes(CANARY), `the canary leaked: ${text.slice(0, 500)}`);
};

const cases: HostileCase[] = [
  // ---- CPU ------------------------------------------------------------------------------------
  { name: 'while True in the hook', body: 'while True:\n    pass', expect: 'timeout' },
  { name: 'while True in a nested function', body: 'def spin():\n    while True:\n        pass\ndef outer():\n    return spin()\nreturn outer()', expect: 'timeout' },
  { name: 'infinite loop at module top level', module: 'while True:\n    pass\ndef on_request(event):\n    pass', expect: 'timeout' },
  { name: 'catching every exception to keep looping', body: 'while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass', expect: 'timeout' },
  { name: 'a loop inside C code: sum(range(10**12))', body: 'return sum(range(10**12))', expect: 'timeout' },
  { name: 'catastrophic regular expression', module: "import re\ndef on_request(event):\n    return bool(re.match('(a+)+b', 'a' * 40))", expect: 'timeout' },
  { name: 'a huge power in C', body: 'return 7 ** (10 ** 9) > 0', expect: ['timeout', 'memory'] },
  { name: 'a loop in finally after returning', body: 'try:\n    return 1\nfinally:\n    while True:\n        pass', expect: 'timeout' },
  { name: 'a loop in __del__ while the result is cleaned up', body: 'class C:\n    def __del__(self):\n        while True:\n            pass\nC()\nreturn 1', expect: 'timeout' },
  {
    name: 'a loop in the result serialiser (default=) via a set subclass',
    body: 'class S(set):\n    def __iter__(self):\n        while True:\n            yield 1\nreturn S()',
    expect: ['timeout', 'memory'],
  },
  { name: 'time.sleep cannot hold the thread', module: 'import time\ndef on_request(event):\n    time.sleep(30)', expect: 'runtime', message: /OSError|not implemented|Errno/ },

  // ---- memory ---------------------------------------------------------------------------------
  { name: 'string doubling', body: "s = 'x'\nwhile True:\n    s += s", expect: 'memory' },
  { name: 'one huge string', body: "return len('x' * 10**9)", expect: 'memory' },
  { name: 'a bytearray of 1 GB', body: 'return len(bytearray(10**9))', expect: 'memory' },
  // Allocation loops race the memory cap against the CPU limit on a loaded machine; either stop contains them.
  { name: 'list append of 1 MB strings', body: "a = []\nwhile True:\n    a.append('x' * 10**6 + str(len(a)))", expect: ['memory', 'timeout'], limits: { cpuMs: 5000 } },
  { name: 'millions of small objects', body: 'a = []\ni = 0\nwhile True:\n    a.append({"i": i})\n    i += 1', expect: ['memory', 'timeout'], limits: { cpuMs: 5000 } },
  {
    name: 'catching MemoryError and allocating again',
    body: 'a = []\nwhile True:\n    try:\n        a.append(bytearray(10**7))\n    except MemoryError:\n        pass',
    expect: ['memory', 'timeout'],
    limits: { cpuMs: 3000 },
  },
  {
    name: 'memory bomb at module top level',
    module: "keep = []\nwhile True:\n    keep.append('x' * 10**6 + str(len(keep)))\ndef on_request(event):\n    pass",
    expect: ['memory', 'timeout'],
    limits: { cpuMs: 5000 },
  },
  { name: 'growth under the cap but past the memory limit', body: "keep = ['x' * 10**6 + str(i) for i in range(40)]\nreturn len(keep)", expect: 'memory', limits: { memoryBytes: 16 * 1024 * 1024 } },

  // ---- stack ----------------------------------------------------------------------------------
  { name: 'unbounded recursion', body: 'def f():\n    return f() + 1\nreturn f()', expect: 'stack' },
  // Recursion through C slots overflows CPython's C stack (in linear memory) before the recursion
  // limit: the engine traps, the worker is retired, the host is untouched.
  { name: 'recursion through __getattr__', body: 'class O:\n    def __getattr__(self, name):\n        return self.x\nreturn O().x', expect: ['stack', 'killed'] },
  { name: 'recursion through __str__', body: 'class O:\n    def __str__(self):\n        return str(self)\nreturn str(O())', expect: ['stack', 'killed'] },
  { name: 'json.loads of deeply nested input', module: "import json\ndef on_request(event):\n    return json.loads('[' * 10**6)", expect: 'stack' },
  { name: 'deeply nested result', body: 'x = []\nfor i in range(10**4):\n    x = [x]\nreturn x', expect: 'stack' },
  {
    name: 'raising the recursion limit to overflow the engine stack',
    body: `${REAL_IMPORT}\nri('sys').setrecursionlimit(10**7)\ndef f(n):\n    return f(n + 1) + 1\nreturn f(0)`,
    expect: ['stack', 'timeout', 'killed'],
  },

  // ---- imports and builtins (the policy) -----------------------------------------------------
  { name: 'import os', module: 'import os\ndef on_request(event):\n    return os.environ', expect: 'forbidden_import', message: /"os"/ },
  { name: 'import subprocess', module: 'import subprocess\ndef on_request(event):\n    pass', expect: 'forbidden_import', message: /"subprocess"/ },
  { name: 'import socket', module: 'import socket\ndef on_request(event):\n    pass', expect: 'forbidden_import', message: /"socket"/ },
  { name: 'import ctypes', module: 'import ctypes\ndef on_request(event):\n    pass', expect: 'forbidden_import', message: /"ctypes"/ },
  { name: 'from _ctypes import dlopen', module: 'from _ctypes import dlopen\ndef on_request(event):\n    pass', expect: 'forbidden_import', message: /"_ctypes"/ },
  { name: 'import cffi', module: 'import cffi\ndef on_request(event):\n    pass', expect: 'forbidden_import', message: /"cffi"/ },
  { name: 'import js (Pyodide’s door to JavaScript)', module: 'import js\ndef on_request(event):\n    pass', expect: 'forbidden_import', message: /"js"/ },
  { name: 'import pyodide', module: 'from pyodide.code import run_js\ndef on_request(event):\n    pass', expect: 'forbidden_import', message: /"pyodide.code"/ },
  { name: 'import sys', module: 'import sys\ndef on_request(event):\n    return list(sys.modules)', expect: 'forbidden_import', message: /"sys"/ },
  { name: 'import gc', module: 'import gc\ndef on_request(event):\n    pass', expect: 'forbidden_import', message: /"gc"/ },
  { name: 'import importlib', module: 'import importlib\ndef on_request(event):\n    pass', expect: 'forbidden_import' },
  { name: 'import threading', module: 'import threading\ndef on_request(event):\n    pass', expect: 'forbidden_import' },
  { name: 'a relative import', module: 'from . import secrets\ndef on_request(event):\n    pass', expect: 'forbidden_import' },
  { name: "the SDK's internal module", module: 'from sym._sdk import call_host\ndef on_request(event):\n    pass', expect: 'forbidden_import', message: /"sym._sdk"/ },
  { name: "__import__('os') inside the hook", body: "return __import__('os').listdir('/')", expect: 'forbidden_import', message: /"os"/ },
  { name: 'open() of a host file', body: `return open(${JSON.stringify(CANARY_FILE)}).read()`, expect: 'runtime', message: /NameError: name 'open'/ },
  { name: 'eval and exec', body: "return eval('1 + 1')", expect: 'runtime', message: /NameError: name 'eval'/ },

  // ---- escapes past the policy: the WASI layer holds ------------------------------------------
  {
    name: '__subclasses__ traversal to sys.modules, then os, files, environment and processes',
    body: `${PROBE}
subs = ().__class__.__base__.__subclasses__()
wrap = [c for c in subs if c.__name__ == '_wrap_close'] or [c for c in subs if c.__name__ == 'catch_warnings']
g = wrap[0].__init__.__globals__
sys = g['sys']
os = sys.modules['os']
bi = sys.modules['builtins']
return {
    "environ": probe(lambda: dict(os.environ)),
    "getenv": probe(lambda: os.getenv("SYM_PY_CANARY")),
    "listdir": probe(lambda: os.listdir("/")),
    "open": probe(lambda: bi.open(${JSON.stringify(CANARY_FILE)}).read()),
    "open_os": probe(lambda: os.open(${JSON.stringify(CANARY_FILE)}, 0)),
    "write": probe(lambda: bi.open(${JSON.stringify(MARKER_FILE)}, "w").write("x")),
    "system": probe(lambda: os.system("touch ${MARKER_FILE}")),
    "fork": probe(lambda: os.fork()),
    "execv": probe(lambda: os.execv("/bin/sh", ["sh"])),
    "kill": probe(lambda: os.kill(1, 9)),
    "modules": sorted(m for m in sys.modules if m in ("js", "pyodide", "_pyodide_core", "ctypes", "_ctypes")),
}`,
    expect: {
      value: (v) => {
        noCanary(v);
        const r = v as Record<string, [string, string]>;
        for (const key of ['listdir', 'open', 'open_os', 'write', 'system', 'fork', 'execv', 'kill']) assert.notEqual(r[key][0], 'ok', `${key} succeeded: ${r[key][1]}`);
        assert.deepEqual(r.environ, ['ok', '{}'], 'the environment is empty');
        assert.deepEqual(r.modules, []);
      },
    },
    afterwards: () => assert.ok(!existsSync(MARKER_FILE), 'a file was written on the host'),
  },
  {
    name: 'the real import function: subprocess, socket, ctypes, _thread',
    body: `${PROBE}
${REAL_IMPORT}
def connect():
    s = ri('socket').create_connection(("127.0.0.1", ${'${PORT}'}), timeout=1)
    return s.recv(10)
return {
    "subprocess": probe(lambda: ri('subprocess').run(["cat", ${JSON.stringify(CANARY_FILE)}], capture_output=True).stdout),
    "socket": probe(connect),
    "raw_socket": probe(lambda: ri('_socket').socket()),
    "ctypes": probe(lambda: ri('ctypes').CDLL(None)),
    "_ctypes": probe(lambda: ri('_ctypes')),
    "thread": probe(lambda: ri('_thread').start_new_thread(print, ())),
    "js": probe(lambda: ri('js')),
    "pyodide": probe(lambda: ri('pyodide')),
    "signal": probe(lambda: ri('signal').alarm(1)),
    "mmap": probe(lambda: ri('mmap').mmap(-1, 10)),
}`,
    expect: {
      value: (v) => {
        noCanary(v);
        for (const [key, [kind, text]] of Object.entries(v as Record<string, [string, string]>)) assert.notEqual(kind, 'ok', `${key} succeeded: ${text}`);
      },
    },
    afterwards: () => assert.equal(connections, 0, 'a connection reached the listener'),
  },
  {
    name: 'gc.get_objects() sees only this interpreter',
    body: `${REAL_IMPORT}
objs = ri('gc').get_objects()
found = [type(o).__name__ for o in objs if type(o).__name__ in ('JsProxy', 'JsException', 'Worker', 'Process')]
strs = [o for o in objs if isinstance(o, str) and 'SYM_PY' in o]
return {"count": len(objs) > 1000, "found": found, "strs": strs[:5]}`,
    expect: {
      value: (v) => {
        noCanary(v);
        assert.deepEqual((v as { found: string[] }).found, []);
      },
    },
  },
  {
    name: 'frames: f_back and f_globals up to the runner, then a forged host call',
    body: `try:
    raise Exception()
except Exception as e:
    fr = e.__traceback__.tb_frame
# Walk out through the callers to the frames holding the runner's globals.
host = None
while fr is not None:
    if '_host' in fr.f_globals and callable(fr.f_globals['_host']):
        host = fr.f_globals['_host']
    fr = fr.f_back
return host('secret', {"index": 0})`,
    expect: 'host_denied',
    message: /no secret at index 0/,
  },
  {
    name: "sys.modules['sym._sdk']._host with an op the host does not know",
    body: `${REAL_IMPORT}
sdk = ri('sys').modules['sym._sdk']
return sdk._host('fs.readFile', {"path": ${JSON.stringify(CANARY_FILE)}})`,
    expect: 'host_denied',
    message: /unknown host call/,
  },
  {
    // Forged lines can only do what the guest could do anyway: a host call under the same rules
    // (this one is refused by the allowlist), its own log line, a stray reply that is never read.
    name: 'forged protocol lines on fd 1',
    body: `${REAL_IMPORT}
os = ri('os')
os.write(1, b'{"t":"host","op":"http","args":"{\\\\"method\\\\":\\\\"GET\\\\",\\\\"url\\\\":\\\\"http://127.0.0.1:1/\\\\"}"}\\n')
os.write(1, b'not json at all\\n{"t":"ready"}\\n{"t":"log","level":"error","message":"forged"}\\n')
return "still here"`,
    expect: { value: (v) => assert.equal(v, 'still here') },
  },
  {
    name: 'code objects: a function built from crafted bytecode',
    body: `code = on_request.__code__
bad = code.replace(co_code=b'\\x64\\xff' * 8, co_consts=())
fn = type(on_request)(bad, {})
return fn()`,
    expect: ['killed', 'runtime', 'stack', 'memory'],
  },
  {
    name: 'code objects: reading another module’s code and globals',
    body: `${PROBE}
import_fn = __import__
return {"globals": sorted(k for k in import_fn.__globals__ if k.startswith('BOOT'))[:3], "env": probe(lambda: __import__.__globals__['BOOT'].get('env'))}`,
    expect: { value: noCanary },
  },

  // ---- network --------------------------------------------------------------------------------
  {
    name: 'requests to a host outside the allowlist',
    module: "import requests\ndef on_request(event):\n    return requests.get(FORBIDDEN + '/steal').status_code",
    expect: 'host_denied',
    afterwards: () => assert.equal(forbidden.requests.length, 0, 'the forbidden host saw traffic'),
  },
  {
    name: 'host_denied is a catchable requests error',
    module: "import requests\ndef on_request(event):\n    try:\n        requests.post(FORBIDDEN + '/x', json={})\n    except requests.exceptions.ConnectionError as e:\n        return e.code",
    expect: { value: (v) => assert.equal(v, 'host_denied') },
    afterwards: () => assert.equal(forbidden.requests.length, 0),
  },
  { name: 'allowed host name on another port', module: "import requests, re\ndef on_request(event):\n    return requests.get(re.sub(r':\\d+$', ':1', ALLOWED)).ok", expect: 'host_denied' },
  {
    name: 'oversized host-call arguments',
    module: "import requests\ndef on_request(event):\n    return requests.post(ALLOWED + '/big', data='x' * 2 * 10**6).ok",
    expect: 'host_denied',
    message: /host call arguments/,
  },
  { name: 'file:// URL', module: "import requests\ndef on_request(event):\n    return requests.get('file:///etc/passwd').text", expect: 'host_denied' },
  {
    name: 'redirect from an allowed host to a forbidden one is not followed',
    module: "import requests\ndef on_request(event):\n    r = requests.get(ALLOWED + '/redirect')\n    return [r.status_code, r.ok]",
    expect: { value: (v) => assert.deepEqual(v, [302, false]) },
    afterwards: () => assert.equal(forbidden.requests.length, 0, 'the redirect was followed'),
  },
  {
    name: 'more host calls than allowed',
    module: "import requests\ndef on_request(event):\n    for i in range(1000):\n        requests.get(ALLOWED + '/n')",
    expect: 'host_denied',
    message: /more than 20 host calls/,
  },

  // ---- results and raised values --------------------------------------------------------------
  { name: 'huge return value', body: "return 'x' * (2 * 10**6)", expect: 'result_too_large' },
  { name: 'huge multibyte return value (bytes, not characters)', body: "return 'é' * 700000", expect: 'result_too_large' },
  { name: 'cyclic result', body: 'a = {}\na["self"] = a\nreturn a', expect: 'runtime', message: /Circular/ },
  { name: 'a function as the result', body: 'return lambda: 1', expect: 'runtime', message: /JSON/ },
  { name: 'NaN in the result', body: "return {'n': float('nan')}", expect: 'runtime', message: /JSON/ },
  { name: 'raising a non-exception', body: 'raise 42', expect: 'runtime', message: /TypeError/ },
  { name: 'an exception whose __str__ loops', body: 'class E(Exception):\n    def __str__(self):\n        while True:\n            pass\nraise E()', expect: ['runtime', 'timeout'] },
  { name: 'SystemExit', body: 'raise SystemExit(3)', expect: 'runtime', message: /SystemExit/ },
  { name: 'KeyboardInterrupt', body: 'raise KeyboardInterrupt()', expect: 'runtime', message: /KeyboardInterrupt/ },
  { name: 'a syntax error', module: 'def on_request(event):\n    return ;;; )\n', expect: 'syntax' },
  { name: 'calling a hook that is not defined', module: 'def on_approve(event):\n    pass', expect: 'missing_export', message: /on_request/ },
  { name: 'a hook name bound to a non-function', module: 'on_request = 1', expect: 'missing_export', message: /on_request/ },
  { name: 'a hook that raises the missing-export text itself', body: "raise TypeError('the module defines no function named on_request')", expect: 'runtime' },
  {
    name: 'flooding print()',
    body: "for i in range(3000):\n    print('x' * 100)\nreturn 'done'",
    expect: { value: (v) => assert.equal(v, 'done') },
    limits: { cpuMs: 3000 },
  },
];

const NORMAL = `from sym.sdk.templates import ApprovalTemplate
def on_request(event):
    return [ApprovalTemplate.approve(), len([1, 2]), str(1), __builtins__.get("planted") if isinstance(__builtins__, dict) else None]
`;

const event = { user: { id: 'u1', email: 'a@example.com' }, payload: { fields: {} } };

describe('hostile Python corpus', () => {
  const sandbox = createSandbox({ limits: LIMITS, egress: LOOPBACK_EGRESS });
  let host: SandboxHost;

  before(async () => {
    process.env.SYM_PY_CANARY = CANARY;
    writeFileSync(CANARY_FILE, CANARY);
    rmSync(MARKER_FILE, { force: true });
    listener = createServer((socket) => {
      connections++;
      socket.end(CANARY);
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    listenerPort = (listener.address() as { port: number }).port;
    forbidden = await startHttpDouble();
    allowed = await startHttpDouble((request) => (request.path === '/redirect' ? { status: 302, headers: { location: `${forbidden.url}/after-redirect` } } : { body: { ok: true } }));
    host = { allowedHosts: [allowed.host] };
  });
  after(async () => {
    delete process.env.SYM_PY_CANARY;
    rmSync(CANARY_FILE, { force: true });
    await sandbox.close();
    await allowed.close();
    await forbidden.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  it('has at least 60 cases', () => {
    assert.ok(cases.length >= 60, `only ${cases.length} cases`);
  });

  it('keeps tenants apart: what one organization plants in its interpreter, another never sees', async () => {
    const plant = `def on_request(event):\n    __builtins__["planted"] = ${JSON.stringify(CANARY)}\n    return "planted"`;
    const planted = await sandbox.run({ source: plant, filename: 'impl.py', call: { kind: 'hook', name: 'on_request', event }, tenant: 'org-a' });
    assert.equal(planted.value, 'planted');
    const sameOrg = await sandbox.run({ source: NORMAL, filename: 'impl.py', call: { kind: 'hook', name: 'on_request', event }, tenant: 'org-a' });
    assert.equal((sameOrg.value as JsonValue[])[3], CANARY, 'the planted value is visible within the same organization (one interpreter per tenant)');
    const otherOrg = await sandbox.run({ source: NORMAL, filename: 'impl.py', call: { kind: 'hook', name: 'on_request', event }, tenant: 'org-b' });
    assert.deepEqual(otherOrg.value, [{ type: 'approval.approve' }, 2, '1', null]);
  });

  for (const hostile of cases) {
    it(`contains: ${hostile.name}`, async () => {
      const prelude = `ALLOWED = ${JSON.stringify(allowed.url)}\nFORBIDDEN = ${JSON.stringify(forbidden.url)}\n`;
      const indented = (hostile.body ?? '').replaceAll('${PORT}', String(listenerPort)).replace(/^/gm, '    ');
      const source = prelude + (hostile.module ?? `def on_request(event):\n${indented}\n`);
      const outcome = await sandbox.run({ source, filename: 'impl.py', call: { kind: 'hook', name: 'on_request', event }, host, limits: hostile.limits, tenant: 'hostile' }).then(
        (result) => ({ ok: true as const, result }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      if (typeof hostile.expect === 'string' || Array.isArray(hostile.expect)) {
        const codes = ([] as SandboxErrorCode[]).concat(hostile.expect);
        assert.ok(!outcome.ok, `expected ${codes.join(' or ')}, got ${outcome.ok ? JSON.stringify(outcome.result.value)?.slice(0, 300) : ''}`);
        const { error } = outcome;
        assert.ok(error instanceof SandboxError, `not a SandboxError: ${String(error)}`);
        assert.ok(codes.includes(error.code), `expected ${codes.join(' or ')}, got ${error.code}: ${error.message}`);
        if (hostile.message) assert.match(error.message, hostile.message);
        assert.ok(error.message.length > 0 && error.message.length < 5000, 'a clear, bounded message');
        assert.ok(!`${error.message}\n${error.guestStack}`.includes(CANARY), 'the canary leaked into the error');
      } else {
        assert.ok(outcome.ok, `expected a value, got ${outcome.ok ? '' : String(outcome.error)}`);
        hostile.expect.value(outcome.result.value);
        assert.ok(outcome.result.logs.length <= 200, 'print output is capped');
        assert.ok(!outcome.result.logs.some((line) => line.message.includes(CANARY)), 'the canary leaked into the logs');
      }
      hostile.afterwards?.();
      assert.equal(connections, 0, 'a connection reached the listener');
      assert.ok(!existsSync(MARKER_FILE), 'a file was written on the host');

      // The host stays healthy, and another tenant's hook runs untouched.
      const normal = await sandbox.run({ source: NORMAL, filename: 'impl.py', call: { kind: 'hook', name: 'on_request', event }, tenant: 'normal' });
      assert.deepEqual(normal.value, [{ type: 'approval.approve' }, 2, '1', null]);
    });
  }
});
