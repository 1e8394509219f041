import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { collect, type AccessRequestState, type operations } from '@opensym/api-client';
import type { Context } from '../context';
import { printJson } from '../io';
import { formatTable } from '../table';
import { describeRequest } from './request';
import { isJson } from './json-flag';

type RequestFilters = NonNullable<operations['list-requests']['parameters']['query']>;

/** The states `--state` accepts (those of the API). */
const STATES: AccessRequestState[] = ['pending', 'approved', 'denied', 'ignored', 'expired', 'active', 'deescalating', 'deescalation_failed', 'done', 'failed'];

/** A positive integer. */
export function parseCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** `sym requests` (list, following pages up to --limit) and `sym approve|deny|revoke <id>`. */
export function requestsCommands(program: Command, ctx: Context): void {
  program
    .command('requests')
    .description('list access requests, newest first')
    .addOption(new Option('--state <state>', 'only requests in this state').choices(STATES))
    .option('--flow <flow>', 'only requests of this flow (name or id)')
    .option('--requester <user>', "only this user's requests (email or id)")
    .option('--mine', 'only my own requests (a token that acts for a user)')
    .option('--limit <n>', 'at most this many (pages are followed)', parseCount, 50)
    .action(async (opts: { state?: AccessRequestState; flow?: string; requester?: string; mine?: boolean; limit: number }, cmd: Command) => {
      const client = await ctx.client();
      let requester = opts.requester;
      if (opts.mine) {
        const me = await client.whoami();
        if (!me.user) throw new Error('--mine needs a token that acts for a user (this is a bot token); use --requester');
        requester = me.user.id;
      }
      const filters: RequestFilters = {
        ...(opts.state && { state: opts.state }),
        ...(opts.flow && { flow: opts.flow }),
        ...(requester && { requester }),
        limit: Math.min(opts.limit, 200),
      };
      const requests = await collect(client.requests.list(filters), opts.limit);
      if (isJson(cmd)) return printJson(ctx.io, requests);
      ctx.io.out(
        formatTable(
          ['id', 'state', 'flow', 'requester', 'created', 'decided by'],
          requests.map((r) => [r.id, r.state, r.flow.name, r.requester.email, r.created_at, r.decided_by]),
        ),
      );
    });

  for (const [action, help] of [
    ['approve', 'approve a pending request'],
    ['deny', 'deny a pending request'],
    ['revoke', 'take granted access back'],
  ] as const) {
    program
      .command(action)
      .description(help)
      .argument('<id>', 'the request id')
      .option('-r, --reason <text>', 'why (stored with the decision)')
      .option('--idempotency-key <key>', 'repeat the command safely: the same key gets the first answer again (default: a new one)')
      .action(async (id: string, opts: { reason?: string; idempotencyKey?: string }, cmd: Command) => {
        const client = await ctx.client();
        const request = await client.requests[action](id, opts.reason === undefined ? {} : { reason: opts.reason }, { idempotencyKey: opts.idempotencyKey ?? randomUUID() });
        if (isJson(cmd)) return printJson(ctx.io, request);
        ctx.io.out(describeRequest(request));
      });
  }
}
