/** Starts the built control plane on a free loopback port with a throwaway data directory. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port';
import { controlPlaneServer } from './paths';

/** A running control plane and how to reach and stop it. */
export interface ControlPlane {
  url: string;
  /** The admin API token the server wrote into its data directory on first start. */
  token: string;
  /** The server's process id (to read its CPU time). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Spawns control-plane/dist/server.js and resolves once `whoami` answers with the admin token.
 * `env` adds to the server's environment (e.g. `DATABASE_URL` for a PostgreSQL server).
 */
export async function startControlPlane(timeoutMs = 60_000, env: NodeJS.ProcessEnv = {}): Promise<ControlPlane> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opensym-bench-cp-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [controlPlaneServer], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', SYM_DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Keep the tail of stderr so a failed start can say why.
  let stderrTail = '';
  child.stderr.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!killed) child.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const tokenPath = join(dataDir, 'admin-token');
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`control plane exited with ${child.exitCode}: ${stderrTail}`);
      if (existsSync(tokenPath)) {
        const token = readFileSync(tokenPath, 'utf8').trim();
        const ok = await fetch(`${url}/api/v1/whoami`, { headers: { authorization: `Bearer ${token}` } })
          .then((r) => r.ok)
          .catch(() => false);
        if (token && ok) return { url, token, pid: child.pid!, stop };
      }
      await sleep(100);
    }
    throw new Error(`control plane not ready after ${timeoutMs} ms: ${stderrTail}`);
  } catch (error) {
    await stop();
    throw error;
  }
}
