import type { Command } from 'commander';
import { createSymClient } from '@opensym/api-client';
import { credentialsPath, readStoredCredentials, writeStoredCredentials } from '../credentials';
import type { Context } from '../context';
import { printJson } from '../io';
import { isJson } from './json-flag';

/** Reads the first line of stdin (a piped token); empty when stdin is a terminal. */
async function readStdinLine(): Promise<string> {
  if (process.stdin.isTTY) return '';
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split('\n')[0]?.trim() ?? '';
}

/** `sym login`: checks the URL and token with whoami, then stores them (mode 0600). */
export function loginCommand(program: Command, ctx: Context): void {
  program
    .command('login')
    .description('check an API URL and token with /api/v1/whoami and store them in ~/.config/opensym/credentials.json (mode 0600); the token comes from --token, SYM_JWT or the first line of stdin')
    .option('--url <url>', 'control plane URL (default: SYM_API_URL, or the stored one)')
    .option('--token <token>', 'API token (prefer SYM_JWT or stdin: a flag shows in the process list)')
    .action(async (opts: { url?: string; token?: string }, cmd: Command) => {
      const stored = await readStoredCredentials(credentialsPath(ctx.env)).catch(() => null);
      const apiUrl = opts.url ?? (ctx.env.SYM_API_URL?.trim() || undefined) ?? stored?.apiUrl;
      if (!apiUrl) throw new Error('no API URL: pass --url or set SYM_API_URL');
      const token = opts.token ?? (ctx.env.SYM_JWT?.trim() || undefined) ?? (await readStdinLine());
      if (!token) throw new Error('no token: pass --token, set SYM_JWT, or pipe it on stdin');
      const me = await createSymClient({ baseUrl: apiUrl, token }).whoami();
      const file = credentialsPath(ctx.env);
      await writeStoredCredentials({ apiUrl, token }, file);
      if (isJson(cmd)) return printJson(ctx.io, { api_url: apiUrl, credentials_file: file, whoami: me });
      const who = me.user ? me.user.email : `bot token ${me.token.id}`;
      ctx.io.out(`Logged in to ${apiUrl} as ${who} (organization ${me.org.slug}, role ${me.token.role}).\nCredentials saved in ${file}.\n`);
    });

  program
    .command('whoami')
    .description('show the organization, role and user of the current token')
    .action(async (_opts: unknown, cmd: Command) => {
      const me = await (await ctx.client()).whoami();
      if (isJson(cmd)) return printJson(ctx.io, me);
      ctx.io.out(`${me.user ? me.user.email : `bot token ${me.token.id}`} (organization ${me.org.slug}, role ${me.token.role})\n`);
    });
}
