// Hostile code: every case must be contained within its limit, end with the expected outcome,
// and leave the host healthy (a normal hook still runs afterwards, prototypes untouched).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSandbox } from './create-sandbox';
import { type HttpDouble, LOOPBACK_EGRESS, startHttpDouble } from './http-double';
import type { JsonValue } from './sandbox-call';
import { SandboxError, type SandboxErrorCode } from './sandbox-error';
import type { SandboxHost } from './sandbox-host';

/** Small limits keep the suite fast; the mechanisms are the same as with the defaults. */
const LIMITS = { cpuMs: 250, hardStopGraceMs: 350, hostCallTimeoutMs: 2000, maxHostCalls: 20 };

interface HostileCase {
  name: string;
  /** Body of `export async function on_request(event) { ... }`, or a whole module. */
  body?: string;
  module?: string;
  expect: SandboxErrorCode | SandboxErrorCode[] | { value: (value: JsonValue | undefined) => void };
  /** Text the error message must contain. */
  message?: RegExp;
  /** Per-case limit overrides. */
  limits?: Partial<typeof LIMITS>;
  /** Runs after the case with the doubles, e.g. to prove no traffic reached a host. */
  afterwards?: () => void;
}

let allowed: HttpDouble;
let forbidden: HttpDouble;

const cases: HostileCase[] = [
  // ---- CPU ------------------------------------------------------------------------------------
  { name: 'while(true) in the hook', body: 'while (true) {}', expect: 'timeout' },
  { name: 'while(true) in a nested function', body: 'function spin() { while (true) {} }\nfunction outer() { return spin(); }\nreturn outer();', expect: 'timeout' },
  { name: 'infinite loop at module top level', module: 'for (;;) {}\nexport function on_request() {}', expect: 'timeout' },
  { name: 'catching the interrupt to keep looping', body: 'for (;;) { try { while (true) {} } catch (e) {} }', expect: 'timeout' },
  { name: 'endless microtask chain', body: 'const spin = () => Promise.resolve().then(spin);\nspin();\nreturn new Promise(() => {});', expect: 'timeout' },
  { name: 'toJSON that loops while the result is serialised', body: 'return { toJSON() { while (true) {} } };', expect: 'timeout' },
  { name: 'Proxy trap that loops during serialisation', body: 'return new Proxy({}, { ownKeys() { while (true) {} } });', expect: 'timeout' },
  { name: 'promise that never resolves', body: 'return new Promise(() => {});', expect: 'timeout', message: /never settle/ },
  { name: 'top-level await that never resolves', module: 'await new Promise(() => {});\nexport function on_request() {}', expect: 'timeout' },
  { name: 'non-interruptible native loop: new Array(1e9).join()', body: "return new Array(1e9).join('x').length;", expect: 'killed' },
  { name: 'non-interruptible native loop: indexOf over 1e9 holes', body: 'return new Array(1e9).indexOf(1);', expect: 'killed' },

  // ---- memory ---------------------------------------------------------------------------------
  { name: 'string doubling', body: "let s = 'x';\nwhile (true) s += s;", expect: 'memory' },
  { name: 'one huge string', body: "return 'x'.repeat(1e8).length;", expect: 'memory' },
  // Allocation-heavy loops get a CPU budget large enough that the memory limit, not the CPU
  // deadline, is what stops them (QuickJS checks the interrupt handler only every ~10k ops).
  { name: 'array push of 1 MB strings', body: "const a = [];\nwhile (true) a.push('x'.repeat(1e6) + a.length);", expect: 'memory', limits: { cpuMs: 4000 } },
  { name: 'array push of filled arrays', body: 'const a = [];\nwhile (true) a.push(new Array(1e5).fill(1));', expect: 'memory', limits: { cpuMs: 4000 } },
  { name: 'millions of small objects', body: 'const a = [];\nlet i = 0;\nwhile (true) a.push({ i: i++ });', expect: 'memory', limits: { cpuMs: 4000 } },
  { name: 'Map growing without bound', body: 'const m = new Map();\nlet i = 0;\nwhile (true) m.set(i++, i);', expect: 'memory', limits: { cpuMs: 4000 } },
  { name: 'compiling ever larger regular expressions', body: "const a = [];\nwhile (true) a.push(new RegExp('a'.repeat(1e5) + a.length));", expect: 'memory', limits: { cpuMs: 4000 } },
  {
    name: 'memory bomb at module top level',
    module: "globalThis.keep = [];\nfor (;;) keep.push('x'.repeat(1e6) + keep.length);\nexport function on_request() {}",
    expect: 'memory',
    limits: { cpuMs: 4000 },
  },
  { name: 'new Array(1e9).fill(0)', body: 'return new Array(1e9).fill(0).length;', expect: 'memory' },
  // ArrayBuffer storage escapes QuickJS's memory accounting, so binary types are not provided.
  { name: 'typed array of 1 GB (binary types are absent)', body: 'return new Uint8Array(1e9).length;', expect: 'runtime', message: /Uint8Array/ },
  { name: 'ArrayBuffer (binary types are absent)', body: 'return new ArrayBuffer(8e6);', expect: 'runtime', message: /ArrayBuffer/ },
  // At the heap cap every allocation runs a full GC, seconds between interrupt checks: hard stop.
  { name: 'catching out-of-memory and allocating again', body: 'const a = [];\nfor (;;) { try { a.push(new Array(1e5).fill(0)); } catch (e) {} }', expect: 'killed' },

  // ---- stack ----------------------------------------------------------------------------------
  { name: 'unbounded recursion', body: 'function f() { return f() + 1; }\nreturn f();', expect: 'stack' },
  { name: 'recursion through a getter', body: 'const o = { get x() { return this.x; } };\nreturn o.x;', expect: 'stack' },
  { name: 'recursion through toString', body: 'const o = { toString() { return `${o}`; } };\nreturn String(o);', expect: 'stack' },
  { name: 'JSON.parse of deeply nested input', body: "return JSON.parse('['.repeat(1e6));", expect: 'stack' },
  // Native JSON.stringify runs ~1 s without checking the interrupt handler before it overflows
  // the stack: the hard stop or the stack limit ends it first, depending on machine speed.
  { name: 'deeply nested result (slow native serialisation)', body: 'let x = [];\nfor (let i = 0; i < 1e5; i++) x = [x];\nreturn x;', expect: ['killed', 'stack'] },

  // ---- prototype tricks -----------------------------------------------------------------------
  {
    name: 'polluting Object.prototype and Array.prototype',
    body: "Object.prototype.polluted = 'yes';\nArray.prototype.push = null;\nObject.freeze(Object.prototype);\nreturn { ok: true };",
    expect: { value: (v) => assert.deepEqual(v, { ok: true }) },
  },
  {
    name: 'replacing JSON.stringify to forge the result',
    body: 'JSON.stringify = () => \'"forged"\';\nJSON.parse = () => ({ forged: true });\nreturn { real: 1 };',
    expect: { value: (v) => assert.deepEqual(v, { real: 1 }) },
  },
  {
    name: '__proto__ key in the result does not reach host prototypes',
    body: 'return JSON.parse(\'{"__proto__": {"isAdmin": true}, "a": 1}\');',
    expect: {
      value: (v) => {
        assert.equal(Object.getPrototypeOf(v), Object.prototype);
        assert.equal((v as Record<string, unknown>).isAdmin, undefined);
      },
    },
  },

  // ---- reaching the host ----------------------------------------------------------------------
  { name: 'process', body: 'return process.env;', expect: 'runtime', message: /process/ },
  { name: 'require', body: "return require('fs');", expect: 'runtime', message: /require/ },
  { name: "dynamic import('fs')", body: "return await import('fs');", expect: 'forbidden_import', message: /"fs"/ },
  { name: 'static import of fs', module: "import fs from 'fs';\nexport function on_request() { return fs; }", expect: 'forbidden_import', message: /"fs"/ },
  { name: 'import of node:child_process', module: "import { execSync } from 'node:child_process';\nexport function on_request() {}", expect: 'forbidden_import', message: /node:child_process/ },
  { name: 'relative import of a host file', module: "import x from '../../../etc/passwd';\nexport function on_request() {}", expect: 'forbidden_import' },
  {
    name: "import of the SDK's internal module",
    module: "import { callHost } from 'sym/_core';\nexport function on_request() { return callHost('http', {}); }",
    expect: 'forbidden_import',
    message: /sym\/_core/,
  },
  { name: "path tricks to reach the SDK's internals", module: "import { callHost } from 'sym/sdk/../_core';\nexport function on_request() {}", expect: 'forbidden_import' },
  { name: 'import() hidden in eval', body: 'return await eval("import(\'fs\')");', expect: 'forbidden_import' },
  { name: 'import() hidden in new Function', body: 'return await new Function(\'return import("os")\')();', expect: 'forbidden_import', message: /"os"/ },
  {
    name: "globalThis.constructor.constructor('return this')()",
    body: "const g = globalThis.constructor.constructor('return this')();\nreturn [typeof g.process, typeof g.require, typeof g.Buffer];",
    expect: { value: (v) => assert.deepEqual(v, ['undefined', 'undefined', 'undefined']) },
  },
  { name: "Function('return process')()", body: "return Function('return process')();", expect: 'runtime', message: /process/ },
  { name: 'eval of require', body: "return eval('require')('fs');", expect: 'runtime' },
  {
    name: 'no host objects or bridges among the globals',
    body: 'return Object.getOwnPropertyNames(globalThis);',
    expect: {
      value: (v) => {
        const names = v as string[];
        for (const name of [
          'process',
          'require',
          'fetch',
          'setTimeout',
          'setInterval',
          'WebAssembly',
          'Buffer',
          'global',
          '__sym_host',
          'Atomics',
          'SharedArrayBuffer',
          'ArrayBuffer',
          'module',
          'XMLHttpRequest',
        ]) {
          assert.ok(!names.includes(name), `${name} is reachable`);
        }
      },
    },
  },
  { name: 'fetch', body: "return fetch('http://127.0.0.1/');", expect: 'runtime', message: /fetch/ },
  { name: 'setTimeout', body: 'setTimeout(() => {}, 0);', expect: 'runtime', message: /setTimeout/ },
  { name: 'WebAssembly', body: 'return new WebAssembly.Module(new Uint8Array(8));', expect: 'runtime', message: /WebAssembly/ },

  // ---- network --------------------------------------------------------------------------------
  {
    name: 'HTTP to a host outside the allowlist',
    module: "import { get } from 'sym/http';\nexport function on_request() { return get(FORBIDDEN + '/steal').status_code; }",
    expect: 'host_denied',
    afterwards: () => assert.equal(forbidden.requests.length, 0, 'the forbidden host saw traffic'),
  },
  {
    name: 'host_denied is a catchable error in the guest',
    module: "import { post } from 'sym/http';\nexport function on_request() {\n  try { post(FORBIDDEN + '/x', { json: {} }); } catch (e) { return [e.name, e.code]; }\n}",
    expect: { value: (v) => assert.deepEqual(v, ['HostDeniedError', 'host_denied']) },
    afterwards: () => assert.equal(forbidden.requests.length, 0),
  },
  {
    name: 'allowed host name on another port',
    module: "import { get } from 'sym/http';\nexport function on_request() { return get(FORBIDDEN.replace(/:\\d+$/, ':1')).ok; }",
    expect: 'host_denied',
  },
  {
    name: 'oversized host-call arguments',
    module: "import { post } from 'sym/http';\nexport function on_request() { return post(ALLOWED + '/big', { data: 'x'.repeat(2e6) }).ok; }",
    expect: 'host_denied',
    message: /host call arguments/,
  },
  { name: 'file:// URL', module: "import { get } from 'sym/http';\nexport function on_request() { return get('file:///etc/passwd').text; }", expect: 'host_denied' },
  {
    name: 'redirect from an allowed host to a forbidden one is not followed',
    module: "import { get } from 'sym/http';\nexport function on_request() { const r = get(ALLOWED + '/redirect'); return [r.status_code, r.ok]; }",
    expect: { value: (v) => assert.deepEqual(v, [302, false]) },
    afterwards: () => assert.equal(forbidden.requests.length, 0, 'the redirect was followed'),
  },
  {
    name: 'more host calls than allowed',
    module: "import { get } from 'sym/http';\nexport function on_request() { for (let i = 0; i < 1000; i++) get(ALLOWED + '/n'); }",
    expect: 'host_denied',
    message: /more than 20 host calls/,
  },

  // ---- results and thrown values --------------------------------------------------------------
  { name: 'huge return value', body: "return 'x'.repeat(2e6);", expect: 'result_too_large' },
  { name: 'huge multibyte return value (bytes, not characters)', body: "return 'é'.repeat(700000);", expect: 'result_too_large' },
  { name: 'cyclic result', body: 'const a = {};\na.self = a;\nreturn a;', expect: 'runtime', message: /JSON/ },
  { name: 'symbol result', body: "return Symbol('x');", expect: 'runtime', message: /symbol/ },
  { name: 'BigInt result', body: 'return 10n;', expect: 'runtime', message: /bigint/ },
  { name: 'BigInt nested in the result', body: 'return { n: 10n };', expect: 'runtime', message: /JSON/ },
  { name: 'function result', body: 'return () => 1;', expect: 'runtime', message: /function/ },
  { name: 'getter that throws on the result', body: "return { get x() { throw new Error('gotcha'); } };", expect: 'runtime', message: /gotcha/ },
  { name: 'throwing a number', body: 'throw 42;', expect: 'runtime', message: /non-Error value.*42/ },
  { name: 'throwing null', body: 'throw null;', expect: 'runtime', message: /non-Error value/ },
  { name: 'throwing an object whose toString loops', body: 'throw { toString() { while (true) {} } };', expect: 'runtime' },
  {
    name: 'throwing an Error whose message getter loops',
    body: "const e = new Error('x');\nObject.defineProperty(e, 'message', { get() { while (true) {} } });\nthrow e;",
    expect: 'runtime',
  },
  { name: 'a syntax error', module: 'export function on_request() {\n  return ;;; )\n}', expect: 'syntax' },
  { name: 'calling a hook that is not exported', module: 'export function on_approve() {}', expect: 'missing_export', message: /on_request/ },
  { name: 'a hook export that is not a function', module: 'export const on_request = 1;', expect: 'missing_export', message: /on_request/ },
  { name: 'a hook that throws the missing-export text itself', body: "throw new TypeError('the module does not export a function named on_request');", expect: 'runtime' },
  {
    name: 'flooding the console',
    body: "for (let i = 0; i < 3000; i++) console.log('x'.repeat(100));\nreturn 'done';",
    expect: { value: (v) => assert.equal(v, 'done') },
    limits: { cpuMs: 2000 },
  },
];

const NORMAL = `import { events } from 'sym/sdk';
export function on_request(event) {
  return [events.approval.approve(), ({}).polluted ?? 'clean', typeof JSON.stringify({ a: 1 })];
}
`;

const event = { user: { id: 'u1', email: 'a@example.com' }, payload: { fields: {} } };

describe('hostile-code corpus', () => {
  const sandbox = createSandbox({ limits: LIMITS, maxWorkers: 2, egress: LOOPBACK_EGRESS });
  let host: SandboxHost;

  before(async () => {
    forbidden = await startHttpDouble();
    allowed = await startHttpDouble((request) => (request.path === '/redirect' ? { status: 302, headers: { location: `${forbidden.url}/after-redirect` } } : { body: { ok: true } }));
    host = { allowedHosts: [allowed.host] };
  });
  after(async () => {
    await sandbox.close();
    await allowed.close();
    await forbidden.close();
  });

  it('has at least 30 cases', () => {
    assert.ok(cases.length >= 30, `only ${cases.length} cases`);
  });

  for (const hostile of cases) {
    it(`contains: ${hostile.name}`, async () => {
      const prelude = `const ALLOWED = ${JSON.stringify(allowed.url)};\nconst FORBIDDEN = ${JSON.stringify(forbidden.url)};\n`;
      const source = prelude + (hostile.module ?? `export async function on_request(event) {\n${hostile.body}\n}\n`);
      const started = Date.now();
      const outcome = await sandbox.run({ source, call: { kind: 'hook', name: 'on_request', event }, host, limits: hostile.limits }).then(
        (result) => ({ ok: true as const, result }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      const elapsed = Date.now() - started;
      if (typeof hostile.expect === 'string' || Array.isArray(hostile.expect)) {
        const codes = ([] as SandboxErrorCode[]).concat(hostile.expect);
        assert.ok(!outcome.ok, `expected ${codes.join(' or ')}, got ${outcome.ok ? JSON.stringify(outcome.result.value)?.slice(0, 200) : ''}`);
        const { error } = outcome;
        assert.ok(error instanceof SandboxError, `not a SandboxError: ${String(error)}`);
        assert.ok(codes.includes(error.code), `expected ${codes.join(' or ')}, got ${error.code}: ${error.message}`);
        if (hostile.message) assert.match(error.message, hostile.message);
        assert.ok(error.message.length > 0 && error.message.length < 2000, 'a clear, bounded message');
      } else {
        assert.ok(outcome.ok, `expected a value, got ${outcome.ok ? '' : String(outcome.error)}`);
        hostile.expect.value(outcome.result.value);
        assert.ok(outcome.result.logs.length <= 200, 'console output is capped');
      }
      // Contained within its limit: CPU plus the hard-stop grace plus worker start-up slack.
      const limits = { ...LIMITS, ...hostile.limits };
      assert.ok(elapsed < limits.cpuMs + limits.hardStopGraceMs + 3000, `took ${elapsed} ms`);
      hostile.afterwards?.();

      // The host stays healthy: prototypes untouched, and a normal hook still runs.
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
      const normal = await sandbox.run({ source: NORMAL, call: { kind: 'hook', name: 'on_request', event } });
      assert.deepEqual(normal.value, [{ type: 'approval.approve' }, 'clean', 'string']);
    });
  }
});
