// The built package (launcher + provider.cjs) as Terraform runs it: from a directory under a
// `"type": "module"` project and from one without, with the V8 code cache written and reused.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from './protocol/serve';

const buildScript = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));

/** Starts the launcher; `line` resolves with its handshake line; `stop` kills it and cleans up. */
function launch(launcher: string, env: NodeJS.ProcessEnv): { line: Promise<string>; stop(): void } {
  const child = spawn(launcher, [], { env: { ...process.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_CLIENT_CERT: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const line = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.once('close', (code) => reject(new Error(`launcher exited (${code}) before its handshake: ${err}`)));
  });
  line.catch(() => undefined);
  return {
    line,
    stop() {
      child.kill('SIGKILL');
      const socket = out.split('|')[3];
      if (socket) rmSync(dirname(socket), { recursive: true, force: true });
    },
  };
}

async function handshake(launcher: string, env: NodeJS.ProcessEnv): Promise<string> {
  const p = launch(launcher, env);
  try {
    return await p.line;
  } finally {
    p.stop();
  }
}

async function waitFor(condition: () => boolean, what: string, deadlineMs = 20_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('provider package launcher', () => {
  const root = mkdtempSync(join(tmpdir(), 'sym-launcher-test-'));
  const cacheHome = join(root, 'xdg');
  const esmProject = join(root, 'esm-project');
  const plainProject = join(root, 'plain');
  before(() => {
    mkdirSync(esmProject);
    writeFileSync(join(esmProject, 'package.json'), '{"type": "module"}\n');
    for (const dir of [esmProject, plainProject]) execFileSync(process.execPath, [buildScript, '--out-dir', join(dir, 'pkg')], { stdio: 'ignore' });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('holds exactly the launcher, one bundle and a package.json making the launcher CommonJS', () => {
    assert.deepEqual(readdirSync(join(plainProject, 'pkg')).sort(), ['package.json', 'provider.cjs', 'terraform-provider-sym']);
    assert.deepEqual(JSON.parse(readFileSync(join(plainProject, 'pkg', 'package.json'), 'utf8')), { type: 'commonjs' });
  });

  for (const [name, dir] of [
    ['under a "type": "module" project', esmProject],
    ['outside any package', plainProject],
  ] as const) {
    it(`serves from ${name}`, async () => {
      const line = await handshake(join(dir, 'pkg', 'terraform-provider-sym'), { NODE_DISABLE_COMPILE_CACHE: '1' });
      assert.match(line, /^1\|6\|unix\|\/.+\|grpc\|$/);
    });
  }

  it('writes a code cache in the user cache directory after start-up and starts from it', async () => {
    const launcher = join(plainProject, 'pkg', 'terraform-provider-sym');
    const cacheDir = join(cacheHome, 'opensym', 'provider-compile-cache');
    const caches = () => (existsSync(cacheDir) ? readdirSync(cacheDir).filter((n) => n.endsWith('.v8')) : []);
    const first = launch(launcher, { XDG_CACHE_HOME: cacheHome });
    try {
      await first.line;
      await waitFor(() => caches().length === 1, 'the code cache file');
    } finally {
      first.stop();
    }
    assert.match(await handshake(launcher, { XDG_CACHE_HOME: cacheHome }), /^1\|6\|unix\|/);
    assert.equal(caches().length, 1, 'one cache per build and Node version');
  });
});
