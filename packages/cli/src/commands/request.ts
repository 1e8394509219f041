import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AccessRequest } from '@opensym/api-client';
import type { Context } from '../context';
import { printJson } from '../io';
import { waitForRequest } from '../wait-for-request';
import { isJson } from './json-flag';

/** Collects repeated `--field k=v` into an object (values are strings). */
export function parseField(text: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected name=value, got "${text}"`);
  return { ...fields, [text.slice(0, eq)]: text.slice(eq + 1) };
}

/** Collects repeated `--field-json k=<json>` (booleans, numbers, lists) into an object. */
export function parseJsonField(text: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const [name, value] = [text.slice(0, text.indexOf('=')), text.slice(text.indexOf('=') + 1)];
  if (!name) throw new InvalidArgumentError(`expected name=<json>, got "${text}"`);
  try {
    return { ...fields, [name]: JSON.parse(value) };
  } catch {
    throw new InvalidArgumentError(`the value of ${name} is not JSON: ${value}`);
  }
}

/** A positive number of seconds, as milliseconds. */
function parseSeconds(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return Math.round(n * 1000);
}

/** One line saying where a request stands, for people. */
export function describeRequest(request: AccessRequest): string {
  const extra = [
    request.reason && `reason: ${request.reason}`,
    request.active_until && `until ${request.active_until}`,
    request.state === 'pending' && request.pending_until && `expires ${request.pending_until}`,
    request.last_error && `error: ${request.last_error}`,
  ].filter(Boolean);
  return `Request ${request.id} (${request.flow.name}) is ${request.state}${extra.length ? ` (${extra.join('; ')})` : ''}.\n`;
}

/** `sym request <flow>`: asks for access, and with `--wait` follows the request until it settles. */
export function requestCommand(program: Command, ctx: Context): void {
  program
    .command('request')
    .description('request access through a flow (by name or id)')
    .argument('<flow>', 'the flow, by name or id')
    .option('-f, --field <name=value>', 'a prompt field (repeatable)', parseField, {})
    .option('--field-json <name=json>', 'a prompt field whose value is JSON, e.g. is_assigned=true (repeatable)', parseJsonField, {})
    .option('--for <email>', 'request for another user (admin and bot tokens)')
    .option('-w, --wait', 'wait until the request is decided and granted; the exit code tells the outcome')
    // The default is kept in milliseconds but shown in the option's unit.
    .addOption(new Option('--interval <seconds>', 'how often --wait polls').argParser(parseSeconds).default(1000, '1'))
    .option('--idempotency-key <key>', 'repeat a command safely: the same key gets the first answer again (default: a new one)')
    .action(
      async (flow: string, opts: { field: Record<string, unknown>; fieldJson: Record<string, unknown>; for?: string; wait?: boolean; interval: number; idempotencyKey?: string }, cmd: Command) => {
        const json = isJson(cmd);
        const client = await ctx.client();
        const created = await client.requests.create(
          { flow, flow_inputs: { ...opts.field, ...opts.fieldJson }, ...(opts.for && { user_email: opts.for }) },
          { idempotencyKey: opts.idempotencyKey ?? randomUUID() },
        );
        if (!opts.wait) {
          if (json) printJson(ctx.io, created);
          else ctx.io.out(describeRequest(created));
          return;
        }
        const outcome = await ctx.untilInterrupted((signal) => {
          // Said once (not only on a terminal) so logs and wrappers learn the id straight away; said
          // once Ctrl-C is handled, so whoever reacts to it by interrupting finds the wait stoppable.
          if (created.state === 'pending' || created.state === 'approved') {
            ctx.io.err(`Request ${created.id} is ${created.state}; waiting (Ctrl-C stops waiting, the request stays).\n`);
          }
          return waitForRequest(client, created, { io: ctx.io, intervalMs: opts.interval, signal });
        });
        if (outcome.interrupted) ctx.io.err(`Stopped waiting; request ${outcome.request.id} is still ${outcome.request.state} (not cancelled).\n`);
        if (json) printJson(ctx.io, outcome.request);
        else if (!outcome.interrupted) ctx.io.out(describeRequest(outcome.request));
        ctx.exitCode = outcome.code;
      },
    );
}
