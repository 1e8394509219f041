/**
 * `aws_iam` strategies: an `aws_iam_group` target (`settings.iam_group`, the group's name) is
 * membership of that IAM group. The requester's IAM user is their stored `aws_iam` identity, else
 * the IAM user named by their email, else by the email's local part (cached once found). Adding a
 * member twice and removing a non-member are both success, as IAM itself treats them. A final
 * escalation failure (AccessDenied, unknown group or user) is marked `notApplied`: the request ends
 * `failed` with the message as its `last_error`.
 */
import { AddUserToGroupCommand, GetUserCommand, IAMClient, RemoveUserFromGroupCommand } from '@aws-sdk/client-iam';
import { type AccessStrategyRunner, StrategyError, type StrategyInvocation, type StrategyOutcome } from './access-strategy';
import { awsClientConfig } from './aws-client-config';
import { awsCall, awsCallError, isAwsNotFound } from './aws-call';
import { type AwsStrategyDeps, loadAwsStrategyContext, requiredTargetSetting } from './aws-strategy-context';
import type { EntityRecord } from '../../shared/entity-record';
import { resolveRemoteUser, UnknownRemoteUserError } from './remote-user';

/** Target types an `aws_iam` strategy grants. */
export const AWS_IAM_TARGET_TYPES = ['aws_iam_group'] as const;

/** The IAM user name candidates for an email: the whole address, then its local part. */
export function iamUserNameCandidates(email: string): string[] {
  const local = email.split('@')[0];
  return local && local !== email ? [email, local] : [email];
}

/** The runner for one `aws_iam` strategy entity. */
export function createAwsIamStrategyRunner(deps: AwsStrategyDeps, strategy: EntityRecord): AccessStrategyRunner {
  const run = async (invocation: StrategyInvocation): Promise<StrategyOutcome> => {
    const ctx = await loadAwsStrategyContext(deps, strategy, invocation);
    if (ctx.target.type !== 'aws_iam_group') {
      throw new StrategyError(`${ctx.what}: target ${ctx.target.name ?? ctx.target.id} has type ${ctx.target.type}; aws_iam strategies grant aws_iam_group targets`, false);
    }
    const groupName = requiredTargetSetting(ctx, 'iam_group');
    const iam = new IAMClient(awsClientConfig(deps.env, 'IAM', ctx.region, ctx.credentials));
    const call = (action: string, notFound?: string) => ({ action: `iam:${action}`, principal: ctx.principal, what: ctx.what, scrubber: ctx.scrubber, notFound });
    try {
      const userName = await resolveRemoteUser({
        invocation,
        service: 'aws_iam',
        cacheKey: ctx.cacheKey,
        externalId: ctx.externalId,
        identityCache: deps.identityCache,
        where: 'IAM (tried the email and its local part as user names)',
        async lookup(email) {
          for (const candidate of iamUserNameCandidates(email)) {
            // IAM user names are 1-64 of [\w+=,.@-]; others cannot exist.
            if (!/^[\w+=,.@-]{1,64}$/.test(candidate)) continue;
            try {
              const found = await iam.send(new GetUserCommand({ UserName: candidate }));
              if (found.User?.UserName) return found.User.UserName;
            } catch (error) {
              if (!isAwsNotFound(error)) throw awsCallError(error, call('GetUser'));
            }
          }
          return undefined;
        },
      });
      const result = { iam_group: groupName, user_name: userName };
      const unknownGroup = `unknown group ${groupName} (target settings.iam_group) or user ${userName}`;
      if (invocation.action === 'escalate') {
        // AddUserToGroup is idempotent in IAM: a member added again stays a member.
        await awsCall(call('AddUserToGroup', unknownGroup), () => iam.send(new AddUserToGroupCommand({ GroupName: groupName, UserName: userName })));
        return { body: { ...result, status: 'member' } };
      }
      try {
        await iam.send(new RemoveUserFromGroupCommand({ GroupName: groupName, UserName: userName }));
      } catch (error) {
        // Not a member, or the group or user is gone: nothing is left to take back.
        if (!isAwsNotFound(error)) throw awsCallError(error, call('RemoveUserFromGroup'));
      }
      return { body: { ...result, status: 'not_member' } };
    } catch (error) {
      // A user IAM does not know holds nothing: there is nothing to take back.
      if (invocation.action === 'deescalate' && error instanceof UnknownRemoteUserError) return { body: { iam_group: groupName, status: 'unknown_user' } };
      // Escalation grants with one call (AddUserToGroup): a final refusal of it, or of anything
      // before it, proves nothing was granted, so the request ends `failed` with this message
      // instead of taking back a membership that was never given.
      if (invocation.action === 'escalate' && error instanceof StrategyError && !error.retryable && !error.notApplied) {
        throw new StrategyError(error.message, false, error.details, true);
      }
      throw error;
    } finally {
      iam.destroy();
    }
  };
  return { escalate: run, deescalate: run };
}
