/** Benchmark 1: time from spawning the provider launcher to its go-plugin handshake line. */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve as resolvePath } from 'node:path';
import { formatMs } from './format';
import { makeClientCert } from './make-client-cert';
import { median } from './median';
import { parseHandshake } from './parse-handshake';
import { providerLauncher } from './paths';
import { progress } from './progress';
import type { BenchRow } from './render-table';
import { skippedRow } from './render-table';

const NAME = 'provider start → handshake (median of 20, mTLS)';
const TARGET_MS = 150;
const RUNS = 20;
/** How long the warm-up start stays up after its handshake line (the cache is written at 1 s). */
const WARM_UP_LINGER_MS = 1500;

/** The magic cookie both Terraform and OpenTofu pass; without it a plugin refuses to start. */
const MAGIC_COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/** Spawns `command` once and resolves with the milliseconds until its first stdout line. */
function timeFirstLine(command: string, args: string[], env: NodeJS.ProcessEnv, lingerMs = 0): Promise<{ ms: number; line: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // stdin ignored: a real host passes its terminal, which the provider must not read.
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const exited = new Promise<void>((done) => child.once('close', () => done()));
    const finish = (result: { ms: number; line: string } | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // SIGKILL: the provider ignores SIGINT by design, and we only care about start-up.
      child.kill('SIGKILL');
      // Wait for the exit so runs do not overlap and compete for the CPU.
      void exited.then(() => (result instanceof Error ? reject(result) : resolve(result)));
    };
    const timer = setTimeout(() => finish(new Error(`no first line within 10 s; stderr: ${stderr.slice(-500)}`)), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        const result = { ms: performance.now() - started, line: stdout.slice(0, newline) };
        if (lingerMs > 0) setTimeout(() => finish(result), lingerMs);
        else finish(result);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once('error', (error) => finish(error));
    // 'close' rather than 'exit': it comes after stdout has been read, so a process that prints
    // and exits at once (bare node) is not mistaken for one that died silently.
    child.once('close', (code) => finish(new Error(`${command} exited (${code}) before its first line; stderr: ${stderr.slice(-500)}`)));
  });
}

/**
 * Removes the socket directory of a SIGKILLed provider (it can only clean up on a graceful exit),
 * and only when it sits directly in the temp directory, so nothing else can be hit.
 */
function removeSocketDir(network: string, address: string): void {
  const dir = dirname(address);
  if (network === 'unix' && dirname(dir) === resolvePath(tmpdir())) rmSync(dir, { recursive: true, force: true });
}

/** Median time for bare `node` to print a line: the floor any Node provider starts from. */
async function nodeFloorRow(): Promise<BenchRow> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    times.push((await timeFirstLine(process.execPath, ['-e', 'console.log(1)'], process.env)).ms);
  }
  const m = median(times);
  progress(`provider start: bare node prints a line in ${formatMs(m)} (median of ${RUNS})`);
  return { benchmark: `reference: bare \`node -e\` to first line (median of ${RUNS})`, measured: formatMs(m), target: '—', ok: null };
}

/** Runs the provider-start benchmark: with the launcher's code cache, without it, and bare node. */
export async function benchProviderStart(): Promise<BenchRow[]> {
  return [await providerStartRow(true), await providerStartRow(false), await nodeFloorRow()];
}

/**
 * One provider row. `compileCache`: as every start after the first of a build (the launcher
 * keeps a V8 code cache in the user's cache directory); without it, as the very first start.
 */
async function providerStartRow(compileCache: boolean): Promise<BenchRow> {
  const name = compileCache ? NAME : `provider start without compile cache (NODE_DISABLE_COMPILE_CACHE=1, median of ${RUNS})`;
  const target = compileCache ? `≤ ${TARGET_MS} ms` : '—';
  const launcher = providerLauncher();
  if (!launcher) return skippedRow(name, target, 'no provider in dist/terraform-mirror (run `pnpm build`)');
  let certPem: string;
  try {
    certPem = makeClientCert().certPem;
  } catch (error) {
    return skippedRow(name, target, `cannot make a client certificate with openssl (${(error as Error).message})`);
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE,
    PLUGIN_PROTOCOL_VERSIONS: '6',
    PLUGIN_MIN_PORT: '10000',
    PLUGIN_MAX_PORT: '25000',
    PLUGIN_CLIENT_CERT: certPem,
  };
  if (compileCache) {
    delete env.NODE_DISABLE_COMPILE_CACHE;
    // One untimed start that lives long enough for the launcher to write its cache (1 s after
    // start), as any earlier terraform command would have.
    progress('provider start: warm-up launch (writes the code cache if missing)');
    const { line } = await timeFirstLine(launcher, [], env, WARM_UP_LINGER_MS);
    const handshake = parseHandshake(line);
    removeSocketDir(handshake.network, handshake.address);
  } else {
    env.NODE_DISABLE_COMPILE_CACHE = '1';
  }
  progress(`provider start: ${RUNS} launches of ${launcher}${compileCache ? '' : ' without compile cache'}`);
  const times: number[] = [];
  let tls = true;
  for (let i = 0; i < RUNS; i++) {
    const { ms, line } = await timeFirstLine(launcher, [], env);
    const handshake = parseHandshake(line);
    removeSocketDir(handshake.network, handshake.address);
    // The host reads field 6 only when it is longer than 50 characters.
    if (handshake.serverCert.length <= 50) tls = false;
    times.push(ms);
    progress(`provider start: run ${i + 1}/${RUNS}: ${formatMs(ms)} (${handshake.network} ${handshake.address})`);
  }
  const m = median(times);
  const measured = `${formatMs(m)} (min ${formatMs(Math.min(...times))}, max ${formatMs(Math.max(...times))})${tls ? '' : ' [no TLS cert in handshake]'}`;
  return { benchmark: name, measured, target, ok: compileCache ? tls && m <= TARGET_MS : tls ? null : false };
}
