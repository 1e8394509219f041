/** Starts the OpenSym control plane on a random loopback port with its own data directory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from './api-client';
import { controlPlaneEntry } from './ensure-builds';
import { freePort } from './free-port';
import { killGroup } from './run-process';
import { progress } from './progress';
import { repoRoot } from './paths';

/** Options for {@link ControlPlane.start}. */
export interface ControlPlaneOptions {
  /** A PostgreSQL server database; absent: embedded PGlite inside the data directory. */
  databaseUrl?: string;
  /** Label for progress lines. */
  label?: string;
  /** Extra environment for the server (e.g. where its PagerDuty and AWS doubles listen). */
  env?: NodeJS.ProcessEnv;
}

/** A running control plane and an admin client for it. */
export class ControlPlane {
  readonly url: string;
  readonly dataDir: string;
  readonly token: string;
  /** The organization slug the admin token belongs to. */
  readonly org: string;
  readonly api: ApiClient;
  private readonly child: ChildProcess;
  private readonly logFile: string;

  private constructor(fields: { url: string; dataDir: string; token: string; org: string; child: ChildProcess; logFile: string }) {
    this.url = fields.url;
    this.dataDir = fields.dataDir;
    this.token = fields.token;
    this.org = fields.org;
    this.child = fields.child;
    this.logFile = fields.logFile;
    this.api = new ApiClient(this.url, this.token);
  }

  /**
   * Runs control-plane/dist/server.js (or the TypeScript source through tsx when it is not built)
   * and waits until the admin token exists and `GET /api/v1/whoami` accepts it.
   */
  static async start(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'opensym-cp-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const logFile = path.join(dataDir, 'server.log');
    const log = createWriteStream(logFile);
    const args = existsSync(controlPlaneEntry) ? [controlPlaneEntry] : ['--import', 'tsx', path.join(repoRoot, 'control-plane', 'src', 'server.ts')];
    // Third-party doubles listen on loopback, which hooks and strategies may reach only when the
    // operator allows it; a test can still override the setting through `options.env`.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SYM_EGRESS_ALLOW_CIDRS: '127.0.0.0/8,::1/128',
      ...options.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SYM_DATA_DIR: dataDir,
    };
    delete env.DATABASE_URL;
    if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
    const child = spawn(process.execPath, args, { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const started = Date.now();
    try {
      const token = await waitForToken(child, path.join(dataDir, 'admin-token'), url);
      const whoami = await new ApiClient(url, token).whoami();
      progress(`control plane ${options.label ?? ''} up at ${url} in ${Date.now() - started} ms (org ${whoami.org.slug})`);
      return new ControlPlane({ url, dataDir, token, org: whoami.org.slug, child, logFile });
    } catch (err) {
      killGroup(child.pid, 'SIGKILL');
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-8000) : '';
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`control plane did not start: ${(err as Error).message}\n--- server log ---\n${tail}`);
    }
  }

  /** The last part of the server's log, for failure messages. */
  logTail(chars = 6000): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').slice(-chars) : '';
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its data directory. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      killGroup(this.child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(this.child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Polls for the admin-token file and a successful whoami; fails early if the server exits. */
async function waitForToken(child: ChildProcess, tokenFile: string, url: string, timeoutMs = 90_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'admin-token not written yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode})`);
    if (existsSync(tokenFile)) {
      const token = readFileSync(tokenFile, 'utf8').trim();
      if (token !== '') {
        try {
          await new ApiClient(url, token).whoami();
          return token;
        } catch (err) {
          lastError = (err as Error).message;
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms: ${lastError}`);
}
