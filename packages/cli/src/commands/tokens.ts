import { Option, type Command } from 'commander';
import { collect, type IssuedToken, type Role, type Token } from '@opensym/api-client';
import type { Context } from '../context';
import { printJson } from '../io';
import { formatTable } from '../table';
import { isJson } from './json-flag';
import { findUser, ROLES } from './users';

/** A table of tokens (never with secrets). */
function tokenTable(tokens: Token[]): string {
  return formatTable(
    ['id', 'name', 'role', 'user', 'created', 'last used'],
    tokens.map((t) => [t.id, t.name, t.role, t.user_id ?? 'bot', t.created_at, t.last_used_at]),
  );
}

/** `sym tokens list|issue|revoke` (admin). */
export function tokensCommands(program: Command, ctx: Context): void {
  const tokens = program.command('tokens').description('API tokens (admin)');

  tokens
    .command('list')
    .description('list tokens (secrets are never shown again)')
    .option('--user <user>', "only this user's tokens (email or id)")
    .action(async (opts: { user?: string }, cmd: Command) => {
      const client = await ctx.client();
      const userId = opts.user ? (await findUser(client, opts.user)).id : undefined;
      const list = await collect(client.tokens.list(userId ? { user_id: userId } : {}));
      if (isJson(cmd)) return printJson(ctx.io, list);
      ctx.io.out(tokenTable(list));
    });

  tokens
    .command('issue')
    .description('issue a token: for a user (--user, with their role) or a bot token (--role); the secret is printed once')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--user <user>', 'a token that acts for this user (email or id)')
    .addOption(new Option('--role <role>', 'the role of a bot token').choices(ROLES).conflicts('user'))
    .action(async (opts: { name: string; user?: string; role?: Role }, cmd: Command) => {
      const client = await ctx.client();
      if (!opts.user && !opts.role) throw new Error('pass --user <email> for a user token or --role <role> for a bot token');
      const issued: IssuedToken = opts.user
        ? await client.tokens.issueForUser((await findUser(client, opts.user)).id, { name: opts.name })
        : await client.tokens.issueBot({ name: opts.name, role: opts.role! });
      if (isJson(cmd)) return printJson(ctx.io, issued);
      ctx.io.err(`Issued token ${issued.id} (${issued.name}, ${issued.role}${issued.user_id ? `, user ${issued.user_id}` : ', bot'}). The secret below is shown only this once:\n`);
      ctx.io.out(`${issued.token}\n`);
    });

  tokens
    .command('revoke')
    .description("revoke a token (the organization's last admin token cannot be revoked)")
    .argument('<id>', 'the token id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await (await ctx.client()).tokens.revoke(id);
      if (isJson(cmd)) return printJson(ctx.io, { id, revoked: true });
      ctx.io.out(`Revoked token ${id}.\n`);
    });
}
