import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Where the CLI talks to and with which token. */
export interface Credentials {
  apiUrl: string;
  token: string;
}

/** `$XDG_CONFIG_HOME/opensym/credentials.json`, by default `~/.config/opensym/credentials.json`. */
export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME?.trim() || path.join(env.HOME?.trim() || os.homedir(), '.config');
  return path.join(configHome, 'opensym', 'credentials.json');
}

/** The stored credentials, or null when there is no file (a malformed file is an error). */
export async function readStoredCredentials(file = credentialsPath()): Promise<Partial<Credentials> | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON; run \`sym login\` again`);
  }
  const { api_url, token } = (parsed ?? {}) as { api_url?: unknown; token?: unknown };
  return { ...(typeof api_url === 'string' && { apiUrl: api_url }), ...(typeof token === 'string' && { token }) };
}

/**
 * Writes the credentials with mode 0600 in a 0700 folder; written aside and renamed so a crash
 * never leaves half a file, and chmod-ed because an existing file keeps its old mode otherwise.
 */
export async function writeStoredCredentials(credentials: Credentials, file = credentialsPath()): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify({ api_url: credentials.apiUrl, token: credentials.token }, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
}

/**
 * The credentials to use: `SYM_API_URL` and `SYM_JWT` each override the stored file's value.
 * Throws when either is missing, saying how to fix it.
 */
export async function resolveCredentials(env: NodeJS.ProcessEnv = process.env): Promise<Credentials> {
  const envUrl = env.SYM_API_URL?.trim() || undefined;
  const envToken = env.SYM_JWT?.trim() || undefined;
  const stored = envUrl && envToken ? null : await readStoredCredentials(credentialsPath(env));
  const apiUrl = envUrl ?? stored?.apiUrl;
  const token = envToken ?? stored?.token;
  if (!apiUrl || !token) throw new Error('not logged in: run `sym login`, or set SYM_API_URL and SYM_JWT');
  return { apiUrl, token };
}
