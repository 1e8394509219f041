/**
 * moto (PyPI `moto[server]`, an independent implementation of the AWS APIs) for tests: STS, IAM,
 * SSO Admin, Identity Store, Secrets Manager, Lambda (deployment only: running functions needs
 * Docker), Firehose, Kinesis, all on one loopback port.
 *
 * The server binary is `OPENSYM_TEST_MOTO_SERVER` when set, else what `scripts/install-moto.sh`
 * prints (it installs moto into ~/.cache/opensym once). moto is mandatory: when neither works the
 * test fails, it is not skipped.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** A running moto server. */
export interface MotoServer {
  /** `http://127.0.0.1:PORT`: every service answers here. */
  url: string;
  /** moto's default account id (what `GetCallerIdentity` says for the static test keys). */
  accountId: string;
  /** The standard AWS variables pointing the control plane's clients at moto (`env` of the strategy registry). */
  env: Record<string, string>;
  /** Config for SDK clients a test uses to set up and inspect moto's state. */
  clientConfig: { region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /** Forgets every resource in every service (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** Stops the server. */
  close(): Promise<void>;
}

const REGION = 'us-east-1';
const KEYS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** The `moto_server` executable: OPENSYM_TEST_MOTO_SERVER, else installed (once) by scripts/install-moto.sh. */
export async function motoServerBinary(): Promise<string> {
  const configured = process.env.OPENSYM_TEST_MOTO_SERVER;
  if (configured) return configured;
  const { stdout } = await promisify(execFile)('bash', [path.join(repoRoot, 'scripts/install-moto.sh')], { maxBuffer: 1 << 20 });
  return stdout.trim();
}

/**
 * Runs moto under a small bash guard that reads our end of a pipe: when this process goes away
 * (even killed), the pipe closes and the guard stops moto, so no server outlives its test run.
 */
function spawnGuarded(binary: string, port: number): ChildProcess {
  // Background jobs get /dev/null as stdin in bash, so the pipe is kept as fd 3 for the watcher.
  const guard = 'exec 3<&0; "$0" "$@" </dev/null & pid=$!; ( read -r _ <&3; kill "$pid" 2>/dev/null ) & wait "$pid"';
  return spawn('bash', ['-c', guard, binary, '-H', '127.0.0.1', '-p', String(port)], { stdio: ['pipe', 'ignore', 'pipe'] });
}

/** Resolves once moto says it listens (werkzeug prints "Running on" after binding); rejects if it exits first. */
function listening(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => done(new Error(`moto_server did not listen on ${port} within ${timeoutMs} ms:\n${output.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`Running on http://127.0.0.1:${port}`)) done();
    };
    const onExit = (code: number | null) => done(new Error(`moto_server exited (${code}) before listening:\n${output.slice(-2000)}`));
    function done(error?: Error) {
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      // Keep draining stderr so a chatty server never blocks on a full pipe.
      child.stderr!.resume();
      if (error) reject(error);
      else resolve();
    }
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

async function motoApi(url: string, pathname: string, body = ''): Promise<void> {
  const res = await fetch(`${url}${pathname}`, { method: 'POST', body });
  if (!res.ok) throw new Error(`moto ${pathname} answered ${res.status}: ${await res.text()}`);
}

/** Starts a moto server of its own on a free loopback port and waits until it listens. */
export async function startMotoServer({ timeoutMs = 60_000, unref = false }: { timeoutMs?: number; unref?: boolean } = {}): Promise<MotoServer> {
  const binary = await motoServerBinary();
  let lastError: unknown;
  // The free port can be taken between the probe and moto's bind: then moto exits and we try another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawnGuarded(binary, port);
    try {
      await listening(child, port, timeoutMs);
    } catch (error) {
      lastError = error;
      child.kill();
      continue;
    }
    if (unref) {
      // Lets the test process end on its own; its exit closes the pipe, which stops moto.
      child.unref();
      (child.stdin as unknown as { unref(): void }).unref();
      (child.stderr as unknown as { unref(): void }).unref();
    }
    const url = `http://127.0.0.1:${port}`;
    const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    return {
      url,
      accountId: '123456789012',
      env: { AWS_ENDPOINT_URL: url, AWS_ACCESS_KEY_ID: KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey, AWS_REGION: REGION },
      clientConfig: { region: REGION, endpoint: url, credentials: { ...KEYS } },
      reset: () => motoApi(url, '/moto-api/reset'),
      async close() {
        child.stdin!.end();
        await exited;
      },
    };
  }
  throw lastError;
}

let shared: Promise<MotoServer> | undefined;

/**
 * One moto server per test process (node's test runner runs each file in its own process), started
 * on first use and stopped when the process exits. Tests sharing it should use fresh resource names
 * or `reset()` in a `beforeEach`.
 */
export function sharedMotoServer(): Promise<MotoServer> {
  // The guard stops moto when our end of its pipe closes, which the process's exit does.
  shared ??= startMotoServer({ unref: true });
  return shared;
}
