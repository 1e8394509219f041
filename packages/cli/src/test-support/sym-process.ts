import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled CLI that `pnpm --filter @opensym/cli build` writes (the tests build it first). */
export const symBundle = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/sym.js');

/** How a `sym` process ended. */
export interface SymResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `sym` process whose output is collected. */
export interface SymProcess {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in stderr (fails if the process ends first). */
  stderrMatch(pattern: RegExp): Promise<RegExpMatchArray>;
  done: Promise<SymResult>;
}

/** Starts `node dist/sym.js ...args` with `env` added to a clean environment (no SYM_* inherited). */
export function startSym(args: string[], env: NodeJS.ProcessEnv, input?: string): SymProcess {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SYM_')));
  const child = spawn(process.execPath, [symBundle, ...args], { env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin!.end(input ?? '');
  let stdout = '';
  let stderr = '';
  const watchers: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const w of [...watchers]) {
      const m = stderr.match(w.pattern);
      if (m) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const done = new Promise<SymResult>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    done,
    stderrMatch: (pattern) =>
      new Promise((resolve, reject) => {
        const m = stderr.match(pattern);
        if (m) return resolve(m);
        watchers.push({ pattern, resolve });
        void done.then((r) => reject(new Error(`sym ${args.join(' ')} ended (${r.code}) before stderr matched ${pattern}:\n${r.stderr}\n${r.stdout}`)));
      }),
  };
}

/** Runs `sym` to the end. */
export function runSymProcess(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<SymResult> {
  return startSym(args, env, input).done;
}
