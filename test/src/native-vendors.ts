/**
 * The vendors behind the native-strategies e2e: the control plane's own doubles of Okta, GitHub,
 * Google, OneLogin, Tailscale and Aptible (`control-plane/src/features/strategies/<vendor>/testing`) and moto
 * behind the AWS fault proxy for IAM and IAM Identity Center (SSO Admin, Identity Store), seeded with the requester and the groups that
 * `e2e/fixtures/native-strategies` (and examples/okta, examples/github) name. Each strategy type is
 * one {@link NativeCase}: how to see the grant in its vendor, how to make the vendor answer a 429 and
 * a 5xx on the granting or the removing call, how to hold the removing call, and what a refused
 * credential's error must say.
 */
import { CreateGroupCommand, CreateUserCommand, GetGroupCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateGroupCommand as CreateStoreGroupCommand, CreateUserCommand as CreateStoreUserCommand, IdentitystoreClient, ListGroupMembershipsCommand } from '@aws-sdk/client-identitystore';
import { CreatePermissionSetCommand, ListAccountAssignmentsCommand, ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { startAptibleDouble, type AptibleDouble } from '../../control-plane/src/features/strategies/aptible/testing/aptible-double';
import { startGitHubDouble, type GitHubDouble } from '../../control-plane/src/features/strategies/github/testing/github-double';
import { startGoogleDouble, type GoogleDouble } from '../../control-plane/src/features/strategies/google/testing/google-double';
import { startOktaDouble, type OktaDouble } from '../../control-plane/src/features/strategies/okta/testing/okta-double';
import { startOneLoginDouble, type OneLoginDouble } from '../../control-plane/src/features/strategies/onelogin/testing/onelogin-double';
import { startTailscaleDouble, type TailscaleDouble } from '../../control-plane/src/features/strategies/tailscale/testing/tailscale-double';
import { startAwsFaultProxy, type AwsCallMatch, type AwsFault, type AwsFaultProxy } from '../../control-plane/src/test-support/aws-fault-proxy';
import type { HeldCall } from '../../control-plane/src/test-support/held-call';
import { startMotoServer, type MotoServer } from '../../control-plane/src/test-support/moto-server';

/** The requester every case grants to, known to each vendor by this email. */
export const requesterEmail = 'dev@example.com';

/** Which step of the grant a fault or a hold applies to. */
export type GrantStep = 'escalate' | 'deescalate';

/** One native strategy type, driven through the fixture's flows. */
export interface NativeCase {
  /** The strategy type (and target type, where a strategy has several). */
  name: string;
  /** Flow of the working credential and the target requested. */
  flow: string;
  target: string;
  /** Flow whose credential the vendor refuses changes to (same target); absent: `denyNext` injects the refusal. */
  deniedFlow?: string;
  /** Makes the vendor refuse the next granting call for missing permissions (AccessDenied) when there is no `deniedFlow`. */
  denyNext?(): void;
  /** What the refusal must say on the request. */
  denied: RegExp;
  /** Whether the requester holds the grant in the vendor now. */
  granted(): Promise<boolean>;
  /** The vendor answers the step's next call with a rate limit (its own 429 shape and headers), then a 5xx. */
  throttleThenFail(step: GrantStep): void;
  /** Answers (status codes) the vendor gave to the step's calls so far (Tailscale: every policy write). */
  answers(step: GrantStep): number[];
  /** Holds the step's next call until released; armed before the request is made. */
  hold(step: GrantStep): HeldCall;
}

/** Everything started, the control plane's environment for it and the fixture's variables. */
export interface NativeVendors {
  okta: OktaDouble;
  github: GitHubDouble;
  google: GoogleDouble;
  onelogin: OneLoginDouble;
  tailscale: TailscaleDouble;
  aptible: AptibleDouble;
  moto: MotoServer;
  proxy: AwsFaultProxy;
  /** Endpoint overrides (`SYM_<VENDOR>_API_URL`, `AWS_ENDPOINT_URL`) and the `SYM_SECRET_*` values. */
  env: Record<string, string>;
  /** `e2e.auto.tfvars` of the fixture. */
  tfvars: string;
  cases: NativeCase[];
  close(): Promise<void>;
}

const POLICY = `{
  // Engineers reach the dev servers; prod-access is granted on request.
  "groups": {
    "group:eng": ["alice@example.com"],
    "group:prod-access": [],
  },
  "acls": [
    {"action": "accept", "src": ["group:prod-access"], "dst": ["tag:prod:*"]},
  ],
}
`;

/** The account the fixture's `aws_sso_permission_set` target assigns in. */
const SSO_ACCOUNT = '111111111111';

/** The fixture's Aptible role (`native-aptible-role`). */
const APTIBLE_ROLE = '24463ef7-1d6e-402e-a365-69cb6db80c6e';

/** Starts moto, the fault proxy and the six vendor doubles, seeded for the fixture and the examples. */
export async function startNativeVendors(): Promise<NativeVendors> {
  const [okta, github, google, onelogin, tailscale, aptible, moto] = await Promise.all([
    startOktaDouble(),
    startGitHubDouble(),
    startGoogleDouble('example.com'),
    startOneLoginDouble(),
    startTailscaleDouble('example.com', POLICY),
    startAptibleDouble(),
    startMotoServer(),
  ]);
  const proxy = await startAwsFaultProxy(moto.url);

  okta.addUser({ id: '00u1dev', login: requesterEmail, email: requesterEmail });
  // The fixture's group, then examples/okta's two.
  for (const id of ['00ge2eadmins', '00g12345xxx', '00g67890xxx']) okta.addGroup(id, id);
  github.addUser('dev-octocat', requesterEmail);
  // The fixture's organization, then examples/github's.
  for (const org of ['acme', 'sym-test']) {
    github.orgMember(org, 'dev-octocat');
    github.addRepo(org, 'private-repo');
    github.addTeam(org, 'oncall');
  }
  google.addGroup('admins@example.com');
  onelogin.addUser(501, requesterEmail);
  onelogin.addRole(1234567);
  const aptibleUser = aptible.addUser(requesterEmail);
  aptible.addRole(APTIBLE_ROLE);
  const iam = new IAMClient(moto.clientConfig);
  // The IAM user is found by the local part of the requester's email.
  await iam.send(new CreateUserCommand({ UserName: 'dev' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'e2e-readonly' }));
  // IAM Identity Center: moto's one instance, a permission set to assign in the fixture's account,
  // a group to join, and the requester in the identity store (found by email).
  const ssoAdmin = new SSOAdminClient(moto.clientConfig);
  const store = new IdentitystoreClient(moto.clientConfig);
  const instance = (await ssoAdmin.send(new ListInstancesCommand({}))).Instances![0]!;
  const instanceArn = instance.InstanceArn!;
  const identityStoreId = instance.IdentityStoreId!;
  const permissionSetArn = (await ssoAdmin.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'E2EAdmin' }))).PermissionSet!.PermissionSetArn!;
  const ssoUserId = (
    await store.send(
      new CreateStoreUserCommand({
        IdentityStoreId: identityStoreId,
        UserName: 'dev',
        DisplayName: 'Dev',
        Name: { GivenName: 'Dev', FamilyName: 'Example' },
        Emails: [{ Value: requesterEmail, Primary: true }],
      }),
    )
  ).UserId!;
  const ssoGroupId = (await store.send(new CreateStoreGroupCommand({ IdentityStoreId: identityStoreId, DisplayName: 'e2e-oncall' }))).GroupId!;

  const env: Record<string, string> = {
    ...moto.env,
    AWS_ENDPOINT_URL: proxy.url,
    SYM_OKTA_API_URL: okta.url,
    SYM_GITHUB_API_URL: github.url,
    SYM_GOOGLE_API_URL: google.url,
    SYM_GOOGLE_TOKEN_URL: google.tokenUrl,
    SYM_ONELOGIN_API_URL: onelogin.url,
    SYM_TAILSCALE_API_URL: tailscale.url,
    SYM_APTIBLE_API_URL: aptible.url,
    SYM_SECRET_E2E_OKTA: okta.token,
    SYM_SECRET_E2E_OKTA_RO: okta.readOnlyToken,
    SYM_SECRET_E2E_GITHUB: github.token,
    SYM_SECRET_E2E_GITHUB_RO: github.readOnlyToken,
    SYM_SECRET_E2E_GOOGLE_KEY: google.keyFile,
    SYM_SECRET_E2E_GOOGLE_NO_GROUPS: google.unprivilegedKeyFile,
    SYM_SECRET_E2E_ONELOGIN: onelogin.clientSecret,
    SYM_SECRET_E2E_TAILSCALE: tailscale.token,
    SYM_SECRET_E2E_TAILSCALE_RO: tailscale.readOnlyToken,
    SYM_SECRET_E2E_APTIBLE_USER: aptible.bot.username,
    SYM_SECRET_E2E_APTIBLE_PASSWORD: aptible.bot.password,
    SYM_SECRET_E2E_APTIBLE_RO_USER: aptible.readOnlyBot.username,
    SYM_SECRET_E2E_APTIBLE_RO_PASSWORD: aptible.readOnlyBot.password,
    // The examples' secret paths.
    SYM_SECRET_OKTA_API_TOKEN: okta.token,
    SYM_SECRET_GITHUB_ACCESS_TOKEN: github.token,
  };

  /** Statuses of the vendor double's answers to `method` on paths matching `path`. */
  const statuses = (requests: { method: string; path: string; status: number }[], method: string, path: RegExp) =>
    requests.filter((r) => r.method === method && path.test(r.path)).map((r) => r.status);

  const oktaMember = /^\/api\/v1\/groups\/00ge2eadmins\/users\//;
  const repoCollaborator = /^\/repos\/acme\/private-repo\/collaborators\//;
  const teamMembership = /^\/orgs\/acme\/teams\/oncall\/memberships\//;
  const googleMembers = /^\/admin\/directory\/v1\/groups\/admins%40example\.com\/members|^\/admin\/directory\/v1\/groups\/admins@example\.com\/members/;
  const oneloginUsers = /^\/api\/2\/roles\/1234567\/users$/;
  const tailscaleAcl = /^\/api\/v2\/tailnet\/example\.com\/acl$/;
  const aptibleMembers = new RegExp(`^/roles/${APTIBLE_ROLE}/memberships$`);
  const aptibleMembership = /^\/memberships\/[^/]+$/;
  // Aptible grants with POST /roles/{id}/memberships and takes back with DELETE /memberships/{id}.
  const aptibleCall = (step: GrantStep): [string, RegExp] => (step === 'escalate' ? ['POST', aptibleMembers] : ['DELETE', aptibleMembership]);
  const googleMethod = (step: GrantStep) => (step === 'escalate' ? 'POST' : 'DELETE');
  const httpMethod = (step: GrantStep, grant: string) => (step === 'escalate' ? grant : 'DELETE');

  /** The AWS calls of one grant as the fault proxy sees them, and the faults AWS answers them with. */
  interface AwsGrantCalls {
    service: string;
    escalate: string;
    deescalate: string;
    /** This API's rate limit, then its server error. */
    throttle: AwsFault;
    fail: AwsFault;
    /** This API's AccessDenied on the granting call. */
    deny: AwsFault;
  }
  // moto has no fault injection (and its IAM authorization is one switch for the whole server):
  // throttling, 5xx and AccessDenied come from the fault proxy, in each API's own protocol.
  const awsCase = (name: string, flow: string, target: string, calls: AwsGrantCalls, denied: RegExp, granted: () => Promise<boolean>): NativeCase => {
    const match = (step: GrantStep): AwsCallMatch => ({ service: calls.service, operation: calls[step] });
    return {
      name,
      flow,
      target,
      denyNext: () => proxy.failNext(match('escalate'), calls.deny),
      denied,
      granted,
      throttleThenFail(step) {
        proxy.failNext(match(step), calls.throttle);
        proxy.failNext(match(step), calls.fail);
      },
      answers: (step) => proxy.calls.filter((c) => c.service === calls.service && c.operation === calls[step]).map((c) => c.status ?? 0),
      hold: (step) => proxy.holdNext(match(step)),
    };
  };
  // SSO Admin and Identity Store (JSON 1.1): ThrottlingException is a 429, AccessDeniedException a 400.
  const ssoCalls = (service: string, escalate: string, deescalate: string): AwsGrantCalls => ({
    service,
    escalate,
    deescalate,
    throttle: { status: 429, code: 'ThrottlingException', message: 'Rate exceeded' },
    fail: { status: 500, code: 'InternalServerException', message: 'An internal error occurred' },
    deny: { status: 400, code: 'AccessDeniedException', message: `User: arn:aws:sts::123456789012:assumed-role/opensym-sso-connector/opensym is not authorized to perform: ${service}:${escalate}` },
  });
  /** The fixture's SSO connector role, which the refusal must name with the permission to add to its policy. */
  const ssoDenied = (action: string) => new RegExp(`missing permission ${action}: AWS denied it to arn:aws:iam::123456789012:role/sym/opensym-sso-connector; allow ${action} in that role's policy`);

  const githubCase = (name: string, target: string, path: RegExp, granted: () => boolean): NativeCase => ({
    name,
    flow: 'native-github',
    target,
    deniedFlow: 'native-github-ro',
    denied: /HTTP 403 \(Resource not accessible by personal access token\); missing permission: .*GitHub asks for/,
    granted: async () => granted(),
    throttleThenFail(step) {
      // GitHub's secondary rate limit as 429 with retry-after, then a 502 from its front end.
      github.rateLimit(httpMethod(step, 'PUT'), path, 429);
      github.fail(httpMethod(step, 'PUT'), path, 502);
    },
    answers: (step) => statuses(github.server.requests, httpMethod(step, 'PUT'), path),
    hold: (step) => github.server.hold(httpMethod(step, 'PUT'), path),
  });

  const googleCase = (name: string, flow: string): NativeCase => ({
    name,
    flow,
    target: 'native-google-admins',
    deniedFlow: `${flow}-ro`,
    denied: /HTTP 403 \(Not Authorized to access this resource\/api \[forbidden\]\); missing permission: .*Groups privilege/,
    granted: async () => google.members('admins@example.com')[requesterEmail] === 'MANAGER',
    throttleThenFail(step) {
      google.fail(googleMethod(step), googleMembers, 429, 'rateLimitExceeded');
      google.fail(googleMethod(step), googleMembers, 503, 'backendError');
    },
    answers: (step) => statuses(google.server.requests, googleMethod(step), googleMembers),
    hold: (step) => google.server.hold(googleMethod(step), googleMembers),
  });

  const cases: NativeCase[] = [
    awsCase(
      'aws_iam (aws_iam_group)',
      'native-aws-iam',
      'native-iam-readonly',
      {
        service: 'iam',
        escalate: 'AddUserToGroup',
        deescalate: 'RemoveUserFromGroup',
        // IAM throttles with HTTP 400 Throttling (query protocol), then a 500 ServiceFailure.
        throttle: { status: 400, code: 'Throttling', message: 'Rate exceeded' },
        fail: { status: 500, code: 'ServiceFailure' },
        deny: { status: 403, code: 'AccessDenied', message: 'User is not authorized to perform: iam:AddUserToGroup on resource: group e2e-readonly' },
      },
      /missing permission iam:AddUserToGroup: AWS denied it to arn:aws:iam::123456789012:role\/sym\/opensym-iam-connector/,
      async () => ((await iam.send(new GetGroupCommand({ GroupName: 'e2e-readonly' }))).Users ?? []).some((u) => u.UserName === 'dev'),
    ),
    awsCase(
      'aws_sso (aws_sso_permission_set)',
      'native-aws-sso',
      'native-sso-admin',
      ssoCalls('sso', 'CreateAccountAssignment', 'DeleteAccountAssignment'),
      ssoDenied('sso:CreateAccountAssignment'),
      async () =>
        ((await ssoAdmin.send(new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: SSO_ACCOUNT, PermissionSetArn: permissionSetArn }))).AccountAssignments ?? []).some(
          (a) => a.PrincipalType === 'USER' && a.PrincipalId === ssoUserId,
        ),
    ),
    awsCase(
      'aws_sso (aws_sso_group)',
      'native-aws-sso',
      'native-sso-oncall',
      ssoCalls('identitystore', 'CreateGroupMembership', 'DeleteGroupMembership'),
      ssoDenied('identitystore:CreateGroupMembership'),
      async () =>
        ((await store.send(new ListGroupMembershipsCommand({ IdentityStoreId: identityStoreId, GroupId: ssoGroupId }))).GroupMemberships ?? []).some(
          (m) => m.MemberId && 'UserId' in m.MemberId && m.MemberId.UserId === ssoUserId,
        ),
    ),
    {
      name: 'okta (okta_group)',
      flow: 'native-okta',
      target: 'native-okta-admins',
      deniedFlow: 'native-okta-ro',
      denied: /HTTP 403 \(E0000006: You do not have permission.*missing permission: .*Group Membership Administrator/,
      granted: async () => okta.members('00ge2eadmins').includes('00u1dev'),
      throttleThenFail(step) {
        okta.rateLimit(httpMethod(step, 'PUT'), oktaMember);
        okta.fail(httpMethod(step, 'PUT'), oktaMember, 500);
      },
      answers: (step) => statuses(okta.server.requests, httpMethod(step, 'PUT'), oktaMember),
      hold: (step) => okta.server.hold(httpMethod(step, 'PUT'), oktaMember),
    },
    githubCase('github (github_repo)', 'native-github-repo', repoCollaborator, () => github.collaborators('acme', 'private-repo')['dev-octocat'] === 'maintain'),
    githubCase('github (github_team)', 'native-github-team', teamMembership, () => github.teamMembers('acme', 'oncall')['dev-octocat'] !== undefined),
    googleCase('google (google_group target)', 'native-google'),
    googleCase('google_group', 'native-google-group'),
    {
      name: 'onelogin (onelogin_role)',
      flow: 'native-onelogin',
      target: 'native-onelogin-role',
      deniedFlow: 'native-onelogin-ro',
      denied: /HTTP 403 \(Forbidden\); missing permission: .*"Manage All" scope/,
      granted: async () => onelogin.role(1234567).users.includes(501),
      throttleThenFail(step) {
        onelogin.fail(httpMethod(step, 'POST'), oneloginUsers, 429);
        onelogin.fail(httpMethod(step, 'POST'), oneloginUsers, 503);
      },
      answers: (step) => statuses(onelogin.server.requests, httpMethod(step, 'POST'), oneloginUsers),
      hold: (step) => onelogin.server.hold(httpMethod(step, 'POST'), oneloginUsers),
    },
    {
      name: 'tailscale (tailscale_group)',
      flow: 'native-tailscale',
      target: 'native-tailscale-prod',
      deniedFlow: 'native-tailscale-ro',
      denied: /HTTP 403 .*missing permission: .*policy_file scope/,
      granted: async () => tailscale.members('prod-access').includes(requesterEmail),
      // Both steps write the policy file with POST: faults go to the next writes.
      throttleThenFail() {
        tailscale.fail('POST', 429);
        tailscale.fail('POST', 500);
      },
      answers: () => statuses(tailscale.server.requests, 'POST', tailscaleAcl),
      // Armed before the request: the deescalate's write is the one after the escalate's.
      hold: (step) => tailscale.server.hold('POST', tailscaleAcl, step === 'deescalate' ? 1 : 0),
    },
    {
      name: 'aptible (aptible_role)',
      flow: 'native-aptible',
      target: 'native-aptible-role',
      deniedFlow: 'native-aptible-ro',
      denied: /HTTP 403 \(forbidden: You are not authorized to manage this role\); missing permission: .*Role Admin of the role/,
      granted: async () => aptible.members(APTIBLE_ROLE).includes(aptibleUser),
      throttleThenFail(step) {
        aptible.fail(...aptibleCall(step), 429);
        aptible.fail(...aptibleCall(step), 503);
      },
      answers: (step) => statuses(aptible.server.requests, ...aptibleCall(step)),
      hold: (step) => aptible.server.hold(...aptibleCall(step)),
    },
  ];

  return {
    okta,
    github,
    google,
    onelogin,
    tailscale,
    aptible,
    moto,
    proxy,
    env,
    tfvars:
      `onelogin_client_id = ${JSON.stringify(onelogin.clientId)}\nonelogin_read_only_client_id = ${JSON.stringify(onelogin.readOnlyClientId)}\n` +
      `aptible_organization_id = ${JSON.stringify(aptible.organizationId)}\n` +
      `sso_instance_arn = ${JSON.stringify(instanceArn)}\nsso_permission_set_arn = ${JSON.stringify(permissionSetArn)}\nsso_group_id = ${JSON.stringify(ssoGroupId)}\n`,
    cases,
    async close() {
      ssoAdmin.destroy();
      store.destroy();
      iam.destroy();
      await Promise.all([okta.close(), github.close(), google.close(), onelogin.close(), tailscale.close(), aptible.close(), proxy.close()]);
      await moto.close();
    },
  };
}
