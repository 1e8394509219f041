import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSymClient, type SymClient } from '@opensym/api-client';

/** The repository root (four levels above `packages/cli/src/test-support`). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** A control plane server process on embedded PGlite with its first admin token. */
export interface ControlPlaneProcess {
  url: string;
  /** The admin token the server wrote to `<SYM_DATA_DIR>/admin-token` on its first start. */
  adminToken: string;
  admin: SymClient;
  /** The end of the server's log, for failure messages. */
  logTail(): string;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/** Servers still running; killed when the test process exits (also after --test-force-exit or a failed set-up). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port that was free a moment ago on 127.0.0.1. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the real server (control-plane/dist/server.js after `pnpm build`, else its source through
 * tsx) on a free port with a fresh SYM_DATA_DIR (embedded PGlite), and waits until the admin token
 * it writes there is accepted by `GET /api/v1/whoami`.
 */
export async function startControlPlane(env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<ControlPlaneProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'opensym-cli-cp-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const built = path.join(repoRoot, 'control-plane', 'dist', 'server.js');
  const args = existsSync(built) ? [built] : ['--import', 'tsx', path.join(repoRoot, 'control-plane', 'src', 'server.ts')];
  const logFile = path.join(dataDir, 'server.log');
  const log = createWriteStream(logFile);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', SYM_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete childEnv.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, args, { cwd: repoRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const logTail = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const tokenFile = path.join(dataDir, 'admin-token');
  const deadline = Date.now() + timeoutMs;
  let lastError = 'admin-token not written yet';
  // Polls for a condition another process brings about (no fixed sleep decides the outcome).
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    const token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '';
    if (token !== '') {
      const admin = createSymClient({ baseUrl: url, token });
      try {
        await admin.whoami();
        return { url, adminToken: token, admin, logTail, stop };
      } catch (err) {
        lastError = (err as Error).message;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const tail = logTail();
  await stop();
  throw new Error(`control plane did not start (${lastError})\n${tail}`);
}
