/**
 * The AWS doors out of the sandbox behind Sym's `aws_sso`, `aws_iam` and `aws_lambda` helpers, and
 * the host-call handlers that check what the guest sent before anything reaches AWS. Each call is
 * one host call, counted by the dispatcher like every other.
 */
import type { JsonValue, SymUser } from './sandbox-call';
// A cycle with host-dispatcher.ts, safe: HostCallError is only used when a call runs.
import { HostCallError } from './host-dispatcher';

/** AWS on behalf of a flow's hooks (the control plane signs with the environment's runtime role). */
export interface AwsHost {
  /** Whether `user` is in the IAM Identity Center group with display name `groupName`. */
  ssoIsUserInGroup(user: SymUser, groupName: string): Promise<boolean>;
  /** The OpenSym users among that group's members (by stored `aws_sso` identity, else email); the others are left out. */
  ssoUsersInGroup(groupName: string): Promise<SymUser[]>;
  /** Whether `user`'s IAM user is in IAM group `groupName`. */
  iamIsUserInGroup(user: SymUser, groupName: string): Promise<boolean>;
  /** The OpenSym users among IAM group `groupName`'s members (by stored `aws_iam` identity, else a name that is their email). */
  iamUsersInGroup(groupName: string): Promise<SymUser[]>;
  /** Invokes a Lambda function: its JSON result (`RequestResponse`), or `true` once queued (`Event`). */
  lambdaInvoke(arn: string, payload: JsonValue, mode: 'sync' | 'async'): Promise<JsonValue>;
}

type Handler = (args: unknown) => Promise<unknown>;

const NO_AWS = 'AWS is not configured for this flow';

function userArg(args: unknown, op: string): SymUser {
  const user = (args as { user?: unknown } | null)?.user;
  if (!user || typeof user !== 'object' || Array.isArray(user)) throw new HostCallError('host_error', `${op} needs a user`);
  const { id, email, identities } = user as Record<string, unknown>;
  const out: SymUser = {};
  if (typeof id === 'string') out.id = id;
  if (typeof email === 'string') out.email = email;
  if (identities && typeof identities === 'object' && !Array.isArray(identities)) out.identities = identities as SymUser['identities'];
  if (out.id === undefined && out.email === undefined) throw new HostCallError('host_error', `${op} needs a user with an id or an email`);
  return out;
}

function groupArg(args: unknown, op: string): string {
  const name = (args as { group_name?: unknown } | null)?.group_name;
  if (typeof name !== 'string' || !name || name.length > 256) throw new HostCallError('host_error', `${op} needs group_name`);
  return name;
}

/** The `aws_*` host calls over `aws` (undefined: each answers `host_denied`). */
export function awsHostCalls(aws: AwsHost | undefined): Record<string, Handler> {
  const host = () => {
    if (!aws) throw new HostCallError('host_denied', NO_AWS);
    return aws;
  };
  return {
    'aws_sso.is_user_in_group': async (args) => host().ssoIsUserInGroup(userArg(args, 'aws_sso.is_user_in_group'), groupArg(args, 'aws_sso.is_user_in_group')),
    'aws_sso.users_in_group': async (args) => host().ssoUsersInGroup(groupArg(args, 'aws_sso.users_in_group')),
    'aws_iam.is_user_in_group': async (args) => host().iamIsUserInGroup(userArg(args, 'aws_iam.is_user_in_group'), groupArg(args, 'aws_iam.is_user_in_group')),
    'aws_iam.users_in_group': async (args) => host().iamUsersInGroup(groupArg(args, 'aws_iam.users_in_group')),
    'aws_lambda.invoke': async (args) => {
      const { arn, payload, async: queued } = (args ?? {}) as { arn?: unknown; payload?: JsonValue; async?: unknown };
      if (typeof arn !== 'string' || !/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,140}(:[\w$-]+)?$/.test(arn)) {
        throw new HostCallError('host_error', `aws_lambda.invoke needs a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>), got ${JSON.stringify(String(arn)).slice(0, 120)}`);
      }
      return host().lambdaInvoke(arn, payload ?? {}, queued === true ? 'async' : 'sync');
    },
  };
}
