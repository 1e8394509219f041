/**
 * The AWS door of a flow's hooks (Sym's `aws_sso`, `aws_iam` and `aws_lambda` helpers). Every call
 * is signed like the native strategies' (`aws-role-credentials.ts`): the environment's runtime
 * role, with the integration the environment names for the service assumed on top of it
 * (`integrations.aws_sso_id` / `aws_sso_context_id`, `aws_iam_id` / `aws_iam_context_id`,
 * `aws_lambda_id` / `aws_lambda_context_id`); without one, the runtime role alone. Failures say
 * what to fix (a missing permission names the action and the role), scrubbed of credentials.
 * `users_in_group` answers with OpenSym users, as Sym's helpers answer with Sym users: members are
 * matched by their stored identity for the service, else by email; members without an OpenSym
 * account are left out.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetGroupCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeUserCommand, GetGroupIdCommand, GetGroupMembershipIdCommand, GetUserIdCommand, IdentitystoreClient, ListGroupMembershipsCommand } from '@aws-sdk/client-identitystore';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { AwsHost, JsonValue, SymUser } from '../../sandbox';
import type { EntityRecord } from '../../shared/entity-record';
import { StrategyError } from './access-strategy';
import { awsCall, awsCallError, isAwsNotFound } from './aws-call';
import { awsClientConfig, type Env } from './aws-client-config';
import { iamUserNameCandidates } from './aws-iam-strategy-runner';
import { type AwsCredentialResolver, roleSessionName } from './aws-role-credentials';
import type { UserRecord } from '../users/user-store';
import type { IdentityCacheStore } from './identity-cache-store';
import { type EntityReader, settingsOf } from './integration-loader';
import { processScrubber } from './secret-scrubber';

/** What the door needs from the control plane. */
export interface AwsHookHostDeps {
  entities: EntityReader;
  identityCache: IdentityCacheStore;
  credentials: AwsCredentialResolver;
  env: Env;
  /** The organization's users, to answer `users_in_group` with OpenSym users. */
  users: {
    findByEmails(orgId: string, emails: readonly string[]): Promise<UserRecord[]>;
    findByIdentity(orgId: string, service: string, values: readonly string[]): Promise<UserRecord[]>;
  };
}

/** An AWS member before matching: its id in the service (`aws_sso` user id or IAM user name) and its email when AWS has one. */
interface AwsMember {
  identity: string;
  email?: string;
}

/** Whose hook is calling: the organization, the flow's environment and the request (the STS session name). */
export interface AwsHookScope {
  orgId: string;
  environmentId: string | null;
  requestId: string;
}

/** Sym's limit for `aws_sso.users_in_group`: one DescribeUser per member. */
export const SSO_USERS_IN_GROUP_MAX = 20;

type Service = 'aws_sso' | 'aws_iam' | 'aws_lambda';

/** Builds the door for one hook invocation; nothing is read until a helper is called. */
export function createAwsHookHost(deps: AwsHookHostDeps, scope: AwsHookScope): AwsHost {
  const scrubber = processScrubber(deps.env);
  const sessionName = roleSessionName(scope.requestId);

  // OpenSym users for AWS members: the user whose stored identity for the service is the member
  // wins, else the user with the member's email; members without an account are left out (a hook
  // acts on Sym users, and an AWS-only person has no one to notify or approve as).
  const symUsers = async (service: 'aws_sso' | 'aws_iam', members: AwsMember[]): Promise<SymUser[]> => {
    if (members.length === 0) return [];
    const byIdentity = new Map(
      (
        await deps.users.findByIdentity(
          scope.orgId,
          service,
          members.map((m) => m.identity),
        )
      ).map((u) => [u.identities[service]?.toLowerCase(), u]),
    );
    const emails = [...new Set(members.flatMap((m) => (m.email ? [m.email.toLowerCase()] : [])))];
    const byEmail = new Map((emails.length ? await deps.users.findByEmails(scope.orgId, emails) : []).map((u) => [u.email.toLowerCase(), u]));
    const out: SymUser[] = [];
    const seen = new Set<string>();
    for (const member of members) {
      const user = byIdentity.get(member.identity.toLowerCase()) ?? (member.email ? byEmail.get(member.email.toLowerCase()) : undefined);
      if (!user || seen.has(user.id)) continue;
      seen.add(user.id);
      out.push({ id: user.id, email: user.email, username: user.email, identities: { ...user.identities, [service]: member.identity } });
    }
    return out;
  };

  // The integration the environment names for a service, or null (the runtime role alone).
  const integrationFor = async (service: Service): Promise<EntityRecord | null> => {
    if (!scope.environmentId) return null;
    const environment = await deps.entities.findById(scope.orgId, 'environments', scope.environmentId);
    const map = environment?.data.integrations;
    if (!map || typeof map !== 'object' || Array.isArray(map)) return null;
    const keys = map as Record<string, unknown>;
    const id = [keys[`${service}_id`], keys[`${service}_context_id`]].find((v): v is string => typeof v === 'string' && v !== '');
    if (!id) return null;
    const found = await deps.entities.findById(scope.orgId, 'integrations', id);
    if (!found) throw new StrategyError(`${service}: the environment's integrations.${service}_id names integration ${id}, which does not exist`, false);
    return found;
  };

  const signer = async (service: Service) => {
    const integration = await integrationFor(service);
    const { credentials, principal } = await deps.credentials.forIntegration({ orgId: scope.orgId, environmentId: scope.environmentId, sessionName }, integration);
    return { integration, credentials, principal, settings: settingsOf(integration) };
  };

  // ---- aws_sso -------------------------------------------------------------------------------
  const sso = async (what: string) => {
    const s = await signer('aws_sso');
    const store = new IdentitystoreClient(awsClientConfig(deps.env, 'IDENTITYSTORE', s.settings.region, s.credentials));
    const call = (action: string, notFound?: string) => ({ action, principal: s.principal, what, scrubber, notFound });
    let storeId = s.settings.identity_store_id ?? undefined;
    const instanceArn = s.settings.instance_arn ?? undefined;
    if (!storeId && instanceArn) {
      const admin = new SSOAdminClient(awsClientConfig(deps.env, 'SSO_ADMIN', s.settings.region, s.credentials));
      try {
        let next: string | undefined;
        do {
          const page = await awsCall(call('sso:ListInstances'), () => admin.send(new ListInstancesCommand({ NextToken: next })));
          storeId = page.Instances?.find((i) => i.InstanceArn === instanceArn)?.IdentityStoreId;
          next = storeId ? undefined : page.NextToken;
        } while (next);
      } finally {
        admin.destroy();
      }
      if (!storeId) throw new StrategyError(`${what}: settings.instance_arn ${instanceArn} is not an IAM Identity Center instance that ${s.principal} can see (sso:ListInstances)`, false);
    }
    if (!storeId) {
      throw new StrategyError(`${what}: no identity store: give the environment an aws_sso_id integration (integrations.aws_sso_id) whose settings have identity_store_id or instance_arn`, false);
    }
    const groupId = async (name: string) => {
      try {
        const found = await store.send(new GetGroupIdCommand({ IdentityStoreId: storeId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: name } } }));
        if (found.GroupId) return found.GroupId;
      } catch (error) {
        if (!isAwsNotFound(error)) throw awsCallError(error, call('identitystore:GetGroupId'));
      }
      throw new StrategyError(`${what}: no group named ${JSON.stringify(name)} in identity store ${storeId} (group_name is the group's display name)`, false);
    };
    return { s, store, storeId, call, groupId, cacheKey: s.integration?.id };
  };

  const ssoUserId = async (ctx: Awaited<ReturnType<typeof sso>>, user: SymUser): Promise<string | undefined> => {
    const stored = user.identities?.aws_sso;
    if (typeof stored === 'string' && stored) return stored;
    if (user.id && ctx.cacheKey) {
      const cached = await deps.identityCache.get(user.id, ctx.cacheKey);
      if (typeof cached === 'string' && cached) return cached;
    }
    if (!user.email) return undefined;
    for (const path of ['emails.value', 'userName']) {
      try {
        const found = await ctx.store.send(new GetUserIdCommand({ IdentityStoreId: ctx.storeId, AlternateIdentifier: { UniqueAttribute: { AttributePath: path, AttributeValue: user.email } } }));
        if (found.UserId) {
          if (user.id && ctx.cacheKey) await deps.identityCache.set(user.id, ctx.cacheKey, found.UserId);
          return found.UserId;
        }
      } catch (error) {
        if (!isAwsNotFound(error)) throw awsCallError(error, ctx.call('identitystore:GetUserId'));
      }
    }
    return undefined;
  };

  // ---- aws_iam -------------------------------------------------------------------------------
  const iamMembers = async (what: string, groupName: string) => {
    const s = await signer('aws_iam');
    const iam = new IAMClient(awsClientConfig(deps.env, 'IAM', s.settings.region, s.credentials));
    try {
      const users: string[] = [];
      let marker: string | undefined;
      do {
        const page = await awsCall({ action: 'iam:GetGroup', principal: s.principal, what, scrubber, notFound: `no IAM group named ${JSON.stringify(groupName)} (group_name)` }, () =>
          iam.send(new GetGroupCommand({ GroupName: groupName, Marker: marker })),
        );
        for (const u of page.Users ?? []) if (u.UserName) users.push(u.UserName);
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      return { users, iam, principal: s.principal, cacheKey: s.integration?.id };
    } catch (error) {
      iam.destroy();
      throw error;
    }
  };

  const iamUserName = async (ctx: Awaited<ReturnType<typeof iamMembers>>, what: string, user: SymUser): Promise<string | undefined> => {
    const stored = user.identities?.aws_iam;
    if (typeof stored === 'string' && stored) return stored;
    if (user.id && ctx.cacheKey) {
      const cached = await deps.identityCache.get(user.id, ctx.cacheKey);
      if (typeof cached === 'string' && cached) return cached;
    }
    if (!user.email) return undefined;
    // A member whose name matches needs no lookup: IAM user names are often the email itself.
    for (const candidate of iamUserNameCandidates(user.email)) if (ctx.users.includes(candidate)) return candidate;
    for (const candidate of iamUserNameCandidates(user.email)) {
      if (!/^[\w+=,.@-]{1,64}$/.test(candidate)) continue;
      try {
        const found = await ctx.iam.send(new GetUserCommand({ UserName: candidate }));
        if (found.User?.UserName) {
          if (user.id && ctx.cacheKey) await deps.identityCache.set(user.id, ctx.cacheKey, found.User.UserName);
          return found.User.UserName;
        }
      } catch (error) {
        if (!isAwsNotFound(error)) throw awsCallError(error, { action: 'iam:GetUser', principal: ctx.principal, what, scrubber });
      }
    }
    return undefined;
  };

  return {
    async ssoIsUserInGroup(user, groupName) {
      const ctx = await sso('aws_sso.is_user_in_group');
      try {
        const group = await ctx.groupId(groupName);
        // A user the identity store does not know is in no group.
        const userId = await ssoUserId(ctx, user);
        if (!userId) return false;
        try {
          const found = await ctx.store.send(new GetGroupMembershipIdCommand({ IdentityStoreId: ctx.storeId, GroupId: group, MemberId: { UserId: userId } }));
          return Boolean(found.MembershipId);
        } catch (error) {
          if (isAwsNotFound(error)) return false;
          throw awsCallError(error, ctx.call('identitystore:GetGroupMembershipId'));
        }
      } finally {
        ctx.store.destroy();
      }
    },

    async ssoUsersInGroup(groupName) {
      const what = 'aws_sso.users_in_group';
      const ctx = await sso(what);
      try {
        const group = await ctx.groupId(groupName);
        const ids: string[] = [];
        let next: string | undefined;
        do {
          const page = await awsCall(ctx.call('identitystore:ListGroupMemberships'), () =>
            ctx.store.send(new ListGroupMembershipsCommand({ IdentityStoreId: ctx.storeId, GroupId: group, NextToken: next })),
          );
          for (const m of page.GroupMemberships ?? []) if (m.MemberId && 'UserId' in m.MemberId && m.MemberId.UserId) ids.push(m.MemberId.UserId);
          next = page.NextToken;
        } while (next && ids.length <= SSO_USERS_IN_GROUP_MAX);
        if (ids.length > SSO_USERS_IN_GROUP_MAX) throw new StrategyError(`${what}: group ${JSON.stringify(groupName)} has more than ${SSO_USERS_IN_GROUP_MAX} members; use is_user_in_group`, false);
        const members: AwsMember[] = [];
        for (const id of ids) {
          const found = await awsCall(ctx.call('identitystore:DescribeUser'), () => ctx.store.send(new DescribeUserCommand({ IdentityStoreId: ctx.storeId, UserId: id })));
          // The strategy finds people by `emails.value`, else `userName`; map back the same way.
          const email = found.Emails?.find((e) => e.Primary)?.Value ?? found.Emails?.[0]?.Value ?? (found.UserName?.includes('@') ? found.UserName : undefined);
          members.push({ identity: id, ...(email && { email }) });
        }
        return await symUsers('aws_sso', members);
      } finally {
        ctx.store.destroy();
      }
    },

    async iamIsUserInGroup(user, groupName) {
      const what = 'aws_iam.is_user_in_group';
      const ctx = await iamMembers(what, groupName);
      try {
        const name = await iamUserName(ctx, what, user);
        return name !== undefined && ctx.users.includes(name);
      } finally {
        ctx.iam.destroy();
      }
    },

    async iamUsersInGroup(groupName) {
      const ctx = await iamMembers('aws_iam.users_in_group', groupName);
      ctx.iam.destroy();
      // An IAM user name that is an address is the person's email (the strategy's first candidate).
      return await symUsers(
        'aws_iam',
        ctx.users.map((name) => ({ identity: name, ...(name.includes('@') && { email: name }) })),
      );
    },

    async lambdaInvoke(arn, payload, mode) {
      const what = mode === 'async' ? 'aws_lambda.invoke_async' : 'aws_lambda.invoke';
      const s = await signer('aws_lambda');
      const region = arn.split(':')[3] || s.settings.region;
      const lambda = new LambdaClient(awsClientConfig(deps.env, 'LAMBDA', region, s.credentials));
      try {
        const output = await awsCall({ action: 'lambda:InvokeFunction', principal: s.principal, what, scrubber, notFound: `no Lambda function ${arn}` }, () =>
          lambda.send(new InvokeCommand({ FunctionName: arn, InvocationType: mode === 'async' ? 'Event' : 'RequestResponse', Payload: Buffer.from(JSON.stringify(payload)) })),
        );
        if (mode === 'async') return true;
        const text = output.Payload ? Buffer.from(output.Payload).toString('utf8') : '';
        let value: JsonValue = text;
        try {
          value = text ? (JSON.parse(text) as JsonValue) : null;
        } catch {
          // Sym returns a result that is not JSON as a string.
        }
        if (output.FunctionError) {
          const said = value && typeof value === 'object' && !Array.isArray(value) && typeof value.errorMessage === 'string' ? value.errorMessage : text;
          throw new StrategyError(`${what}: the function ${arn} failed (${output.FunctionError}): ${scrubber.scrub(String(said).slice(0, 1000))}`, false);
        }
        return value;
      } finally {
        lambda.destroy();
      }
    },
  };
}
