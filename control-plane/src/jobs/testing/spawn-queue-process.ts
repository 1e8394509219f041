/** Starts testing/queue-process.ts as a child process and waits until its queue runs. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const controlPlaneDir = path.resolve(here, '..', '..', '..');

export interface QueueProcess {
  workerId: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  /** SIGTERM, then waits for the process to end on its own. */
  stop(): Promise<number | string>;
}

export async function spawnQueueProcess(env: { DATABASE_URL: string; WORKER_ID: string; LEASE_MS?: string; POLL_MS?: string; CONCURRENCY?: string }, readyTimeoutMs = 60_000): Promise<QueueProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'queue-process.ts')], {
    cwd: controlPlaneDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  let stdout = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${env.WORKER_ID} not ready after ${readyTimeoutMs} ms: ${stderr}`)), readyTimeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('"ready"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${env.WORKER_ID} exited (${code}) before it was ready: ${stderr}`));
    });
  });
  try {
    await ready;
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    workerId: env.WORKER_ID,
    child,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
