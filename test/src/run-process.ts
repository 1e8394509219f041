/** Runs a child process to completion with a timeout, capturing its output. */
import { spawn } from 'node:child_process';

/** What a finished (or killed) process left behind. */
export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

/** Options for {@link runProcess}. */
export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Runs `command args` and resolves when it exits. The child gets its own process group so a
 * timeout can kill the CLI together with the provider plugins it started.
 */
export async function runProcess(command: string, args: string[], options: RunOptions = {}): Promise<ProcessResult> {
  const started = Date.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    // No stdin: a CLI waiting for input would hang until the timeout instead of failing.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          killGroup(child.pid, 'SIGKILL');
        }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, durationMs: Date.now() - started });
    });
  });
}

/** Signals a whole process group, ignoring one that is already gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already exited.
  }
}

/** Formats a result for an assertion message: exit status plus both streams. */
export function describeResult(label: string, result: ProcessResult): string {
  const status = result.timedOut ? 'timed out' : `exit ${result.code ?? result.signal}`;
  return [`${label}: ${status} after ${(result.durationMs / 1000).toFixed(1)}s`, `--- stdout ---\n${clip(result.stdout)}`, `--- stderr ---\n${clip(result.stderr)}`].join('\n');
}

/** Keeps the end of very long output, where CLIs print their diagnostics. */
function clip(text: string, max = 20_000): string {
  return text.length <= max ? text : `[... ${text.length - max} chars cut ...]\n${text.slice(-max)}`;
}
