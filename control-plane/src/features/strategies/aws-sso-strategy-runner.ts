/**
 * `aws_sso` strategies (AWS IAM Identity Center): an `aws_sso_permission_set` target is an account
 * assignment of a permission set to the requester in one account; an `aws_sso_group` target is
 * membership of an Identity Store group. Both steps are idempotent: an assignment or membership
 * that already exists is success on escalate, one that is gone is success on deescalate. A final
 * escalation failure before the granting call, or the granting call's own refusal
 * (CreateAccountAssignment, CreateGroupMembership), is marked `notApplied`: the request ends
 * `failed` with the message as its `last_error`. Once AWS accepted an assignment's creation it may
 * complete, so a failure after that (its status FAILED, a status check denied) is not.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  type AccountAssignmentOperationStatus,
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { CreateGroupMembershipCommand, DeleteGroupMembershipCommand, DescribeGroupCommand, GetGroupMembershipIdCommand, GetUserIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { type AccessStrategyRunner, StrategyError, type StrategyInvocation, type StrategyOutcome } from './access-strategy';
import { awsClientConfig } from './aws-client-config';
import { awsCall, awsCallError, isAwsNotFound } from './aws-call';
import { type AwsStrategyContext, type AwsStrategyDeps, loadAwsStrategyContext, requiredTargetSetting } from './aws-strategy-context';
import type { EntityRecord } from '../../shared/entity-record';
import { resolveRemoteUser, UnknownRemoteUserError } from './remote-user';

/** How long an account assignment's status is polled before the step is retried later by the job queue. */
export interface SsoWaitOptions {
  /** Between status checks; default 1000. */
  delayMs: number;
  /** Default 60000 (AWS usually finishes in seconds). */
  maxWaitMs: number;
}

/** Target types an `aws_sso` strategy grants. */
export const AWS_SSO_TARGET_TYPES = ['aws_sso_permission_set', 'aws_sso_group'] as const;

interface Clients {
  admin: SSOAdminClient;
  store: IdentitystoreClient;
  /** Set once AWS accepted a granting call: from then on a failure does not prove nothing was granted. */
  granting: boolean;
}

/** The runner for one `aws_sso` strategy entity; identity store ids are remembered per instance. */
export function createAwsSsoStrategyRunner(deps: AwsStrategyDeps & { wait?: Partial<SsoWaitOptions> }, strategy: EntityRecord, storeIds: Map<string, string>): AccessStrategyRunner {
  const wait: SsoWaitOptions = { delayMs: 1000, maxWaitMs: 60_000, ...deps.wait };

  const identityStoreId = async (ctx: AwsStrategyContext, clients: Clients, instanceArn: string): Promise<string> => {
    const configured = ctx.setting('identity_store_id');
    if (configured) return configured;
    const known = storeIds.get(instanceArn);
    if (known) return known;
    let next: string | undefined;
    do {
      const page = await awsCall({ action: 'sso:ListInstances', principal: ctx.principal, what: ctx.what, scrubber: ctx.scrubber }, () =>
        clients.admin.send(new ListInstancesCommand({ NextToken: next })),
      );
      const found = page.Instances?.find((i) => i.InstanceArn === instanceArn);
      if (found?.IdentityStoreId) {
        storeIds.set(instanceArn, found.IdentityStoreId);
        return found.IdentityStoreId;
      }
      next = page.NextToken;
    } while (next);
    throw new StrategyError(`${ctx.what}: settings.instance_arn ${instanceArn} is not an IAM Identity Center instance that ${ctx.principal} can see (sso:ListInstances)`, false);
  };

  const userId = (ctx: AwsStrategyContext, clients: Clients, invocation: StrategyInvocation, storeId: string) =>
    resolveRemoteUser({
      invocation,
      service: 'aws_sso',
      cacheKey: ctx.cacheKey,
      externalId: ctx.externalId,
      identityCache: deps.identityCache,
      where: `identity store ${storeId}`,
      async lookup(email) {
        // Most directories use the email as the user name; SCIM-provisioned ones always carry it in emails.
        for (const path of ['emails.value', 'userName']) {
          try {
            const found = await clients.store.send(new GetUserIdCommand({ IdentityStoreId: storeId, AlternateIdentifier: { UniqueAttribute: { AttributePath: path, AttributeValue: email } } }));
            if (found.UserId) return found.UserId;
          } catch (error) {
            if (!isAwsNotFound(error)) throw awsCallError(error, { action: 'identitystore:GetUserId', principal: ctx.principal, what: ctx.what, scrubber: ctx.scrubber });
          }
        }
        return undefined;
      },
    });

  /** Polls an assignment operation until it leaves IN_PROGRESS. */
  const settle = async (
    ctx: AwsStrategyContext,
    first: AccountAssignmentOperationStatus | undefined,
    describe: (requestId: string) => Promise<AccountAssignmentOperationStatus | undefined>,
    verb: string,
  ) => {
    let status = first;
    const deadline = Date.now() + wait.maxWaitMs;
    while (status?.Status === 'IN_PROGRESS' && status.RequestId) {
      if (Date.now() >= deadline)
        throw new StrategyError(`${ctx.what}: the account assignment ${verb} (request ${status.RequestId}) is still in progress after ${wait.maxWaitMs} ms; it will be checked again`, true);
      await delay(wait.delayMs);
      status = await describe(status.RequestId);
    }
    if (status?.Status === 'FAILED')
      throw new StrategyError(`${ctx.what}: AWS could not complete the account assignment ${verb}: ${ctx.scrubber.scrub(status.FailureReason ?? 'no reason given')}`, false);
    return status;
  };

  const permissionSet = async (ctx: AwsStrategyContext, clients: Clients, invocation: StrategyInvocation): Promise<StrategyOutcome> => {
    const instanceArn = ctx.setting('instance_arn');
    if (!instanceArn) throw new StrategyError(`${ctx.what}: settings.instance_arn (the IAM Identity Center instance) is not set on the strategy or its integration`, false);
    const permissionSetArn = requiredTargetSetting(ctx, 'permission_set_arn');
    const accountId = requiredTargetSetting(ctx, 'account_id');
    const storeId = await identityStoreId(ctx, clients, instanceArn);
    const principalId = await userId(ctx, clients, invocation, storeId);
    const call = (action: string, notFound?: string) => ({ action: `sso:${action}`, principal: ctx.principal, what: ctx.what, scrubber: ctx.scrubber, notFound });
    const assignment = {
      InstanceArn: instanceArn,
      PermissionSetArn: permissionSetArn,
      PrincipalId: principalId,
      PrincipalType: 'USER' as const,
      TargetId: accountId,
      TargetType: 'AWS_ACCOUNT' as const,
    };

    const assigned = async () => {
      let next: string | undefined;
      do {
        const page = await awsCall(call('ListAccountAssignments', `unknown permission set ${permissionSetArn} or account ${accountId} (target settings)`), () =>
          clients.admin.send(new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: accountId, PermissionSetArn: permissionSetArn, NextToken: next })),
        );
        if (page.AccountAssignments?.some((a) => a.PrincipalType === 'USER' && a.PrincipalId === principalId)) return true;
        next = page.NextToken;
      } while (next);
      return false;
    };
    const result = { account_id: accountId, permission_set_arn: permissionSetArn, principal_id: principalId };

    if (invocation.action === 'escalate') {
      if (await assigned()) return { body: { ...result, status: 'already_assigned' } };
      await awsCall(call('DescribePermissionSet', `unknown permission set ${permissionSetArn} in ${instanceArn} (target settings.permission_set_arn)`), () =>
        clients.admin.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn })),
      );
      const created = await awsCall(call('CreateAccountAssignment', `unknown permission set or account (target settings)`), () => clients.admin.send(new CreateAccountAssignmentCommand(assignment)));
      clients.granting = true;
      const status = await settle(
        ctx,
        created.AccountAssignmentCreationStatus,
        async (id) =>
          (
            await awsCall(call('DescribeAccountAssignmentCreationStatus'), () =>
              clients.admin.send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: instanceArn, AccountAssignmentCreationRequestId: id })),
            )
          ).AccountAssignmentCreationStatus,
        'creation',
      );
      return { body: { ...result, status: 'assigned', request_id: status?.RequestId ?? null } };
    }
    if (!(await assigned())) return { body: { ...result, status: 'not_assigned' } };
    let deleted;
    try {
      deleted = await clients.admin.send(new DeleteAccountAssignmentCommand(assignment));
    } catch (error) {
      // Removed between the listing and the delete: what deescalate wants.
      if (isAwsNotFound(error)) return { body: { ...result, status: 'not_assigned' } };
      throw awsCallError(error, call('DeleteAccountAssignment'));
    }
    const status = await settle(
      ctx,
      deleted.AccountAssignmentDeletionStatus,
      async (id) =>
        (
          await awsCall(call('DescribeAccountAssignmentDeletionStatus'), () =>
            clients.admin.send(new DescribeAccountAssignmentDeletionStatusCommand({ InstanceArn: instanceArn, AccountAssignmentDeletionRequestId: id })),
          )
        ).AccountAssignmentDeletionStatus,
      'deletion',
    );
    return { body: { ...result, status: 'unassigned', request_id: status?.RequestId ?? null } };
  };

  const group = async (ctx: AwsStrategyContext, clients: Clients, invocation: StrategyInvocation): Promise<StrategyOutcome> => {
    const groupId = requiredTargetSetting(ctx, 'group_id');
    const instanceArn = ctx.setting('instance_arn');
    const configuredStore = ctx.setting('identity_store_id');
    if (!instanceArn && !configuredStore) throw new StrategyError(`${ctx.what}: set settings.instance_arn (or identity_store_id) on the strategy or its integration`, false);
    const storeId = configuredStore ?? (await identityStoreId(ctx, clients, instanceArn!));
    const memberId = await userId(ctx, clients, invocation, storeId);
    const call = (action: string, notFound?: string) => ({ action: `identitystore:${action}`, principal: ctx.principal, what: ctx.what, scrubber: ctx.scrubber, notFound });
    const result = { group_id: groupId, user_id: memberId };
    const membershipId = async () => {
      try {
        return (await clients.store.send(new GetGroupMembershipIdCommand({ IdentityStoreId: storeId, GroupId: groupId, MemberId: { UserId: memberId } }))).MembershipId;
      } catch (error) {
        if (isAwsNotFound(error)) return undefined;
        throw awsCallError(error, call('GetGroupMembershipId'));
      }
    };

    if (invocation.action === 'escalate') {
      if (await membershipId()) return { body: { ...result, status: 'already_member' } };
      await awsCall(call('DescribeGroup', `unknown group ${groupId} in identity store ${storeId} (target settings.group_id)`), () =>
        clients.store.send(new DescribeGroupCommand({ IdentityStoreId: storeId, GroupId: groupId })),
      );
      try {
        const created = await clients.store.send(new CreateGroupMembershipCommand({ IdentityStoreId: storeId, GroupId: groupId, MemberId: { UserId: memberId } }));
        return { body: { ...result, status: 'added', membership_id: created.MembershipId ?? null } };
      } catch (error) {
        // Added concurrently (or by an earlier attempt whose answer was lost).
        if ((error as { name?: string }).name === 'ConflictException') {
          clients.granting = true;
          if (await membershipId()) return { body: { ...result, status: 'already_member' } };
        }
        throw awsCallError(error, call('CreateGroupMembership', `unknown group ${groupId} or user ${memberId} in identity store ${storeId}`));
      }
    }
    const id = await membershipId();
    if (!id) return { body: { ...result, status: 'not_member' } };
    try {
      await clients.store.send(new DeleteGroupMembershipCommand({ IdentityStoreId: storeId, MembershipId: id }));
    } catch (error) {
      if (!isAwsNotFound(error)) throw awsCallError(error, call('DeleteGroupMembership'));
    }
    return { body: { ...result, status: 'removed' } };
  };

  const byTarget = (ctx: AwsStrategyContext, clients: Clients, invocation: StrategyInvocation): Promise<StrategyOutcome> => {
    if (ctx.target.type === 'aws_sso_permission_set') return permissionSet(ctx, clients, invocation);
    if (ctx.target.type === 'aws_sso_group') return group(ctx, clients, invocation);
    throw new StrategyError(`${ctx.what}: target ${ctx.target.name ?? ctx.target.id} has type ${ctx.target.type}; aws_sso strategies grant ${AWS_SSO_TARGET_TYPES.join(' or ')} targets`, false);
  };

  const run = async (invocation: StrategyInvocation): Promise<StrategyOutcome> => {
    const ctx = await loadAwsStrategyContext(deps, strategy, invocation);
    const clients: Clients = {
      admin: new SSOAdminClient(awsClientConfig(deps.env, 'SSO_ADMIN', ctx.region, ctx.credentials)),
      store: new IdentitystoreClient(awsClientConfig(deps.env, 'IDENTITYSTORE', ctx.region, ctx.credentials)),
      granting: false,
    };
    try {
      return await byTarget(ctx, clients, invocation);
    } catch (error) {
      // A user the identity store does not know holds nothing: there is nothing to take back.
      if (invocation.action === 'deescalate' && error instanceof UnknownRemoteUserError) return { body: { status: 'unknown_user' } };
      // Refused before AWS accepted the granting call (AccessDenied, unknown permission set, group
      // or user): nothing was granted, so the request fails with this message instead of taking
      // back access never given. (A retryable failure stays retryable: its call may have landed.)
      if (invocation.action === 'escalate' && error instanceof StrategyError && !error.retryable && !error.notApplied && !clients.granting) {
        throw new StrategyError(error.message, false, error.details, true);
      }
      throw error;
    } finally {
      clients.admin.destroy();
      clients.store.destroy();
    }
  };
  return { escalate: run, deescalate: run };
}
