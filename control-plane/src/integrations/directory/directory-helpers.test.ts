// Sym's directory helpers in hooks (`okta`, `google`, `github` of sym/sdk), in JavaScript and in
// Python, run through the real sandbox, with the real vendor SDKs behind the host calls pointed
// at the vendor doubles, and the environment's integrations found as compose.ts finds them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { startGitHubDouble, type GitHubDouble } from '../../features/strategies/github/testing/github-double';
import { startGoogleDouble, type GoogleDouble } from '../../features/strategies/google/testing/google-double';
import { startOktaDouble, type OktaDouble } from '../../features/strategies/okta/testing/okta-double';
import type { IdentityCacheStore } from '../../features/strategies/identity-cache-store';
import type { SecretLocation } from '../../features/strategies/secret-reader';
import type { UserRecord } from '../../features/users/user-store';
import { createSandbox, type JsonValue, SandboxError, type SymEvent, type SymUser } from '../../sandbox';
import type { EntityRecord } from '../../shared/entity-record';
import { createDirectoryHosts, type DirectoryHosts } from './directory-hosts';

const ORG = 'org-1';

const JS_IMPL = `import { okta, google, github } from 'sym/sdk/integrations';
export function on_request(event) {
  return okta.is_user_in_group(event.user, { group_id: event.flow.vars.group });
}
export function get_approvers(event) {
  return okta.users_in_group({ group_id: event.flow.vars.group });
}
export function on_approve(event) {
  return google.is_user_in_group(event.user, { group_email: event.flow.vars.group });
}
export function get_permissions(event) {
  return google.users_in_group(event.flow.vars.group);
}
export function on_deny(event) {
  return github.get_repo_collaborators({ repo_name: event.flow.vars.repo, roles: ['admin', 'maintain'] });
}
export function after_request(event) {
  return github.get_repo_collaborators({ repo_name: event.flow.vars.repo, roles: [event.flow.vars.role] });
}
export function after_approve(event) {
  try {
    return okta.users_in_group({ group_id: event.flow.vars.group });
  } catch (error) {
    return 'caught: ' + error.message.slice(0, 40);
  }
}
export function on_escalate(event) {
  let yes = 0;
  for (let i = 0; i < 1000; i++) if (okta.is_user_in_group(event.user, { group_id: event.flow.vars.group })) yes++;
  return yes;
}
`;

const PY_IMPL = `from sym.sdk.annotations import hook, reducer
from sym.sdk.integrations import okta, google, github


@hook
def on_request(event):
    return okta.is_user_in_group(event.user, group_id=event.flow.vars["group"])


@reducer
def get_approvers(event):
    return okta.users_in_group(group_id=event.flow.vars["group"])


@hook
def on_approve(event):
    return google.is_user_in_group(event.user, group_email=event.flow.vars["group"])


@reducer
def get_permissions(event):
    return google.users_in_group(event.flow.vars["group"])


@hook
def on_deny(event):
    return github.get_repo_collaborators(repo_name=event.flow.vars["repo"], roles={"admin", "maintain"})


@hook
def after_request(event):
    return github.get_repo_collaborators(repo_name=event.flow.vars["repo"], roles=[event.flow.vars["role"]])


@hook
def after_approve(event):
    from sym.sdk.exceptions import OktaError

    try:
        return okta.users_in_group(group_id=event.flow.vars["group"])
    except OktaError as error:
        return "caught: " + str(error)[:40]


@hook
def on_escalate(event):
    yes = 0
    for _ in range(1000):
        if okta.is_user_in_group(event.user, group_id=event.flow.vars["group"]):
            yes += 1
    return yes
`;

const LANGUAGES = [
  { name: 'JavaScript', source: JS_IMPL, filename: 'impl.js' },
  { name: 'Python', source: PY_IMPL, filename: 'impl.py' },
];

let okta: OktaDouble;
let google: GoogleDouble;
let gh: GitHubDouble;
let hosts: DirectoryHosts;
const secretValues: Record<string, string> = {};
const cache = new Map<string, JsonValue>();
const sandbox = createSandbox();

const people: UserRecord[] = [
  { id: '11111111-1111-4111-8111-111111111111', orgId: ORG, email: 'alice@example.com', role: 'member', identities: { slack: 'UALICE', github: 'Alice-GH' }, createdAt: new Date() },
  { id: '22222222-2222-4222-8222-222222222222', orgId: ORG, email: 'bob@example.com', role: 'member', identities: {}, createdAt: new Date() },
];
const alice: SymUser = { id: people[0].id, email: 'alice@example.com' };
const bob: SymUser = { id: people[1].id, email: 'bob@example.com' };

function entity(kind: string, id: string, type: string | null, data: Record<string, unknown>): EntityRecord {
  return { id, kind, type, name: id, data };
}

const entities = new Map<string, EntityRecord>(
  [
    entity('environments', 'env-all', null, { integrations: { okta_id: 'i-okta', google_id: 'i-google', github_id: 'i-github' } }),
    entity('environments', 'env-none', null, { integrations: { slack_id: 'i-slack' } }),
    entity('integrations', 'i-okta', 'okta', { external_id: 'dev-1.okta.com', settings: { api_token_secret: 's-okta' } }),
    entity('integrations', 'i-google', 'google', { external_id: 'example.com', settings: { credentials_secret: 's-google' } }),
    entity('integrations', 'i-github', 'github', { external_id: 'acme', settings: { api_token_secret: 's-github' } }),
    entity('secrets', 's-okta', null, { source_id: 'src', path: 'OKTA' }),
    entity('secrets', 's-google', null, { source_id: 'src', path: 'GOOGLE' }),
    entity('secrets', 's-github', null, { source_id: 'src', path: 'GITHUB' }),
    entity('secret-sources', 'src', 'env', { settings: {} }),
  ].map((e) => [`${e.kind}/${e.id}`, e]),
);

const identityCache: IdentityCacheStore = {
  get: async (userId, integrationId) => cache.get(`${userId}/${integrationId}`),
  set: async (userId, integrationId, identity) => void cache.set(`${userId}/${integrationId}`, identity),
};

before(async () => {
  [okta, google, gh] = await Promise.all([startOktaDouble(), startGoogleDouble(), startGitHubDouble()]);
  okta.addUser({ id: '00u1', login: 'alice@example.com', email: 'alice@example.com' });
  okta.addUser({ id: '00u2', login: 'bob@example.com', email: 'bob@example.com' });
  okta.addUser({ id: '00u3', login: 'carol@example.com', email: 'carol@example.com' });
  okta.addGroup('00gadmins', 'admins');
  okta.addGroup('00gempty', 'empty');
  google.addGroup('eng@example.com');
  gh.addUser('Alice-GH', 'alice@example.com');
  gh.addUser('bob-gh', 'bob@example.com');
  gh.addUser('zed', 'zed@example.com');
  gh.addRepo('acme', 'api');
  gh.addCollaborator('acme', 'api', 'Alice-GH', 'admin');
  gh.addCollaborator('acme', 'api', 'bob-gh', 'push');
  gh.addCollaborator('acme', 'api', 'zed', 'maintain');
  Object.assign(secretValues, { OKTA: okta.token, GOOGLE: google.keyFile, GITHUB: gh.token });
  hosts = createDirectoryHosts({
    entities: { findById: async (orgId, kind, id) => (orgId === ORG ? (entities.get(`${kind}/${id}`) ?? null) : null) },
    secrets: { read: async (location: SecretLocation) => secretValues[location.path] },
    users: {
      findByEmails: async (_org, emails) => people.filter((p) => emails.includes(p.email)),
      findByIdentity: async (_org, service, values) => people.filter((p) => values.includes(p.identities[service]?.toLowerCase())),
    },
    identityCache,
    logger: pino({ level: 'silent' }),
    env: { SYM_OKTA_API_URL: okta.url, SYM_GOOGLE_API_URL: google.url, SYM_GOOGLE_TOKEN_URL: google.tokenUrl, SYM_GITHUB_API_URL: gh.url },
  });
});

after(async () => {
  await sandbox.close();
  await Promise.all([okta?.close(), google?.close(), gh?.close()]);
});

function event(user: SymUser, vars: Record<string, string>): SymEvent {
  return { type: 'request', user, payload: { fields: {} }, flow: { id: 'flow-1', vars, environment_id: 'env-all' } };
}

async function run(language: (typeof LANGUAGES)[number], name: string, user: SymUser, vars: Record<string, string>, options: { environment?: string; maxHostCalls?: number } = {}) {
  const result = await sandbox.run({
    source: language.source,
    filename: language.filename,
    call: { kind: 'hook', name, event: event(user, vars) },
    host: { directory: hosts.forEnvironment(ORG, options.environment ?? 'env-all') },
    ...(options.maxHostCalls !== undefined && { limits: { maxHostCalls: options.maxHostCalls } }),
  });
  return result.value;
}

/** Runs a hook expected to fail; returns the SandboxError after checking no secret leaked. */
async function failure(
  language: (typeof LANGUAGES)[number],
  name: string,
  user: SymUser,
  vars: Record<string, string>,
  options: { environment?: string; maxHostCalls?: number } = {},
): Promise<SandboxError> {
  let caught: unknown;
  await run(language, name, user, vars, options).catch((error: unknown) => (caught = error));
  assert.ok(caught instanceof SandboxError, `expected a SandboxError, got ${String(caught)}`);
  for (const secret of [okta.token, okta.readOnlyToken, gh.token]) assert.ok(!caught.message.includes(secret), 'a token in the hook error');
  return caught;
}

for (const language of LANGUAGES) {
  describe(`directory helpers in ${language.name} hooks`, () => {
    it('okta.is_user_in_group answers true for a member and false for others', async () => {
      okta.addMember('00gadmins', '00u1');
      assert.equal(await run(language, 'on_request', alice, { group: '00gadmins' }), true);
      assert.equal(await run(language, 'on_request', bob, { group: '00gadmins' }), false);
      // Someone Okta does not know is in no group.
      assert.equal(await run(language, 'on_request', { email: 'nobody@example.com' }, { group: '00gadmins' }), false);
    });

    it('okta.users_in_group returns the members as Sym users, matched to OpenSym users by email', async () => {
      okta.addMember('00gadmins', '00u1');
      okta.addMember('00gadmins', '00u3');
      const users = (await run(language, 'get_approvers', bob, { group: '00gadmins' })) as SymUser[];
      assert.deepEqual(
        users.map((u) => [u.id ?? null, u.email, u.identities?.okta, u.identities?.slack ?? null]),
        [
          [people[0].id, 'alice@example.com', 'alice@example.com', 'UALICE'],
          [null, 'carol@example.com', 'carol@example.com', null],
        ],
      );
      assert.deepEqual(await run(language, 'get_approvers', bob, { group: '00gempty' }), []);
    });

    it('okta: an unknown group is a hook error that names the group', async () => {
      const error = await failure(language, 'on_request', bob, { group: '00gnope' });
      assert.match(error.message, /Okta knows no group 00gnope: check the group_id/);
      const listing = await failure(language, 'get_approvers', bob, { group: '00gnope' });
      assert.match(listing.message, /Okta knows no group 00gnope/);
    });

    it('okta: a hook can catch the failure (Python: sym.sdk.exceptions.OktaError) and go on', async () => {
      assert.equal(await run(language, 'after_approve', bob, { group: '00gnope' }), 'caught: listing the members of Okta group 00gnop');
    });

    it('refuses malformed arguments in the host before asking the vendor', async () => {
      const before = gh.server.requests.length;
      const error = await failure(language, 'after_request', bob, { repo: 'api', role: 'owner' });
      assert.match(error.message, /github.get_repo_collaborators needs roles, one or more of read, triage, write, maintain, admin/);
      const noRepo = await failure(language, 'after_request', bob, { repo: '', role: 'admin' });
      assert.match(noRepo.message, /github.get_repo_collaborators needs repo_name/);
      assert.equal(gh.server.requests.length, before);
    });

    it('okta: a 403 from Okta says which permission the token lacks', async () => {
      okta.server.inject({
        method: 'GET',
        path: /^\/api\/v1\/groups\/00gadmins\/users$/,
        times: 1,
        reply: { status: 403, body: { errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action', errorCauses: [] } },
      });
      const error = await failure(language, 'get_approvers', bob, { group: '00gadmins' });
      assert.match(error.message, /Okta answered HTTP 403 \(E0000006: You do not have permission/);
      assert.match(error.message, /missing permission: the API token's administrator may not read this group/);
    });

    it('google.is_user_in_group answers true for a member and false for others', async () => {
      google.addMember('eng@example.com', 'alice@example.com');
      assert.equal(await run(language, 'on_approve', alice, { group: 'eng@example.com' }), true);
      assert.equal(await run(language, 'on_approve', bob, { group: 'eng@example.com' }), false);
    });

    it('google.users_in_group returns the user members as Sym users', async () => {
      google.addMember('eng@example.com', 'alice@example.com');
      const users = (await run(language, 'get_permissions', bob, { group: 'eng@example.com' })) as SymUser[];
      assert.deepEqual(
        users.map((u) => [u.id ?? null, u.email]),
        [[people[0].id, 'alice@example.com']],
      );
    });

    it('google: an unknown group and a 403 are hook errors that say what to fix', async () => {
      const unknown = await failure(language, 'on_approve', alice, { group: 'nope@example.com' });
      assert.match(unknown.message, /Google knows no group nope@example.com: check the group_email/);
      google.fail('GET', /hasMember/, 403, 'forbidden');
      const denied = await failure(language, 'on_approve', alice, { group: 'eng@example.com' });
      assert.match(denied.message, /Google answered HTTP 403/);
      assert.match(denied.message, /missing permission: the service account .* may not read this group's members/);
    });

    it('github.get_repo_collaborators returns the collaborators holding the roles, as Sym users with that GitHub identity', async () => {
      // Alice (admin) has a Sym user with github identity Alice-GH; zed (maintain) has none; bob is write.
      const users = (await run(language, 'on_deny', bob, { repo: 'api' })) as SymUser[];
      assert.deepEqual(
        users.map((u) => [u.id, u.email, u.identities?.github]),
        [[people[0].id, 'alice@example.com', 'Alice-GH']],
      );
    });

    it('github: an unknown repository and a 403 are hook errors that say what to fix', async () => {
      const unknown = await failure(language, 'on_deny', bob, { repo: 'nope' });
      assert.match(unknown.message, /GitHub knows no repository acme\/nope/);
      gh.server.inject({ method: 'GET', path: /\/collaborators$/, times: 1, reply: { status: 403, body: { message: 'Resource not accessible by personal access token' } } });
      const denied = await failure(language, 'on_deny', bob, { repo: 'api' });
      assert.match(denied.message, /GitHub answered HTTP 403 \(Resource not accessible by personal access token\); missing permission: the token may not list/);
    });

    it('each helper call counts against the host-call limit: a hook looping on one is stopped', async () => {
      const before = okta.server.requests.length;
      const error = await failure(language, 'on_escalate', alice, { group: '00gadmins' }, { maxHostCalls: 5 });
      assert.match(error.message, /more than 5 host calls in one invocation/);
      // Five calls reached Okta (one user lookup is cached after the first), not a thousand.
      assert.ok(okta.server.requests.length - before <= 5 * 2, `Okta saw ${okta.server.requests.length - before} requests`);
    });

    it('a flow whose environment has no such integration is refused with what to set', async () => {
      const error = await failure(language, 'on_request', alice, { group: '00gadmins' }, { environment: 'env-none' });
      assert.equal(error.code, 'host_denied');
      assert.match(error.message, /Okta is not configured for this flow: set integrations.okta_id/);
    });
  });
}
