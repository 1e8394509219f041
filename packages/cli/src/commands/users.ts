import { Argument, Option, type Command } from 'commander';
import { collect, type Role, type SymClient, type User } from '@opensym/api-client';
import type { Context } from '../context';
import { printJson } from '../io';
import { formatTable } from '../table';
import { isJson } from './json-flag';

/** The roles of the API. */
export const ROLES: Role[] = ['admin', 'member', 'guest'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user by id or by email (the exact address, case-insensitively). */
export async function findUser(client: SymClient, idOrEmail: string): Promise<User> {
  if (UUID.test(idOrEmail)) return client.users.get(idOrEmail);
  const matches = await collect(client.users.list({ email: idOrEmail }));
  const user = matches.find((u) => u.email.toLowerCase() === idOrEmail.toLowerCase());
  if (!user) throw new Error(`no user with the email ${idOrEmail}`);
  return user;
}

/** A table of users. */
function userTable(users: User[]): string {
  return formatTable(
    ['id', 'email', 'role', 'created'],
    users.map((u) => [u.id, u.email, u.role, u.created_at]),
  );
}

/** `sym users list|create|set-role`. */
export function usersCommands(program: Command, ctx: Context): void {
  const users = program.command('users').description('people of the organization (changes need an admin token)');

  users
    .command('list')
    .description('list users, oldest first')
    .option('--email <text>', 'only users whose email matches')
    .action(async (opts: { email?: string }, cmd: Command) => {
      const list = await collect((await ctx.client()).users.list(opts.email ? { email: opts.email } : {}));
      if (isJson(cmd)) return printJson(ctx.io, list);
      ctx.io.out(userTable(list));
    });

  users
    .command('create')
    .description('add a user')
    .argument('<email>')
    .addOption(new Option('--role <role>', 'their role').choices(ROLES).default('member'))
    .action(async (email: string, opts: { role: Role }, cmd: Command) => {
      const user = await (await ctx.client()).users.create({ email, role: opts.role });
      if (isJson(cmd)) return printJson(ctx.io, user);
      ctx.io.out(userTable([user]));
    });

  users
    .command('set-role')
    .description("change a user's role (demoting the holder of the last admin token is refused)")
    .argument('<user>', 'email or id')
    .addArgument(new Argument('<role>', 'the new role').choices(ROLES))
    .action(async (who: string, role: Role, _opts: unknown, cmd: Command) => {
      const client = await ctx.client();
      const user = await client.users.update((await findUser(client, who)).id, { role });
      if (isJson(cmd)) return printJson(ctx.io, user);
      ctx.io.out(userTable([user]));
    });
}
