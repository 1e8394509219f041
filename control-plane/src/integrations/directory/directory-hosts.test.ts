// The directory doors over the real stores (PGlite): the environment's integrations, their
// secrets, OpenSym users by email and by GitHub identity, and the identity cache.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createEntityStore } from '../../features/entities/entity-store';
import { createIdentityCacheStore, createSecretReader } from '../../features/strategies';
import { startGitHubDouble, type GitHubDouble } from '../../features/strategies/github/testing/github-double';
import { startOktaDouble, type OktaDouble } from '../../features/strategies/okta/testing/okta-double';
import { createUserStore } from '../../features/users/user-store';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { createDirectoryHosts } from './directory-hosts';

let t: TestControlPlane;
let okta: OktaDouble;
let gh: GitHubDouble;

const create = async (path: string, body: object): Promise<string> => {
  const res = await t.request.post(`/api/v1/${path}`).set('Authorization', `Bearer ${t.admin}`).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
};

before(async () => {
  t = await startTestControlPlane();
  [okta, gh] = await Promise.all([startOktaDouble(), startGitHubDouble()]);
});
after(async () => {
  await Promise.all([okta?.close(), gh?.close()]);
  await t?.close();
});

describe('directory doors per environment (PGlite)', () => {
  it('reads nothing until a helper is called, then uses the integration, its secret, the users and the identity cache', async () => {
    const source = await create('entities/secret-sources', { type: 'env', name: 'process-env' });
    const oktaSecret = await create('entities/secrets', { path: 'SYM_SECRET_OKTA_TOKEN', source_id: source });
    const githubSecret = await create('entities/secrets', { path: 'SYM_SECRET_GITHUB_TOKEN', source_id: source });
    const oktaIntegration = await create('entities/integrations', { type: 'okta', name: 'okta', external_id: 'dev-1.okta.com', settings: { api_token_secret: oktaSecret } });
    const githubIntegration = await create('entities/integrations', { type: 'github', name: 'gh', external_id: 'acme', settings: { api_token_secret: githubSecret } });
    const env = await create('entities/environments', { name: 'prod', integrations: { okta_id: oktaIntegration, github_id: githubIntegration } });
    const wrong = await create('entities/environments', { name: 'odd', integrations: { okta_id: githubIntegration } });
    const alice = await create('users', { email: 'alice@example.com', identities: { github: 'Alice-GH' } });
    await create('users', { email: 'bob@example.com', identities: { github: 'bob-gh' } });

    okta.addUser({ id: '00u1', login: 'alice@example.com', email: 'alice@example.com' });
    okta.addGroup('00gops', 'ops');
    okta.addMember('00gops', '00u1');
    gh.addUser('alice-gh', 'alice@example.com');
    gh.addUser('bob-gh', 'bob@example.com');
    gh.addRepo('acme', 'api');
    gh.addCollaborator('acme', 'api', 'alice-gh', 'admin');
    gh.addCollaborator('acme', 'api', 'bob-gh', 'push');

    const prisma = t.cp.db.prisma;
    const entities = createEntityStore(prisma);
    let reads = 0;
    const identityCache = createIdentityCacheStore(prisma);
    const hosts = createDirectoryHosts({
      entities: { findById: (...args) => (reads++, entities.findById(...args)) },
      secrets: createSecretReader({ env: { SYM_SECRET_OKTA_TOKEN: okta.token, SYM_SECRET_GITHUB_TOKEN: gh.token } }),
      users: createUserStore(prisma),
      identityCache,
      logger: pino({ level: 'silent' }),
      env: { SYM_OKTA_API_URL: okta.url, SYM_GITHUB_API_URL: gh.url },
    });

    const doors = hosts.forEnvironment(t.orgId, env);
    assert.equal(reads, 0, 'nothing is read before a hook calls a helper');
    assert.equal(await doors.okta!.isUserInGroup({ id: alice, email: 'alice@example.com' }, '00gops'), true);
    // The Okta identity is cached in the strategy's format, so the next check skips the lookup.
    assert.deepEqual(await identityCache.get(alice, oktaIntegration), { id: '00u1', login: 'alice@example.com', looked_up_as: 'alice@example.com' });
    const lookups = okta.server.requests.filter((r) => r.path === '/api/v1/users/alice@example.com').length;
    assert.equal(await doors.okta!.isUserInGroup({ id: alice, email: 'alice@example.com' }, '00gops'), true);
    assert.equal(okta.server.requests.filter((r) => r.path === '/api/v1/users/alice@example.com').length, lookups);

    // Matched by the users' stored github identity, whatever its case.
    const admins = await doors.github!.repoCollaborators('api', ['admin']);
    assert.deepEqual(
      admins.map((u) => [u.id, u.email]),
      [[alice, 'alice@example.com']],
    );

    await assert.rejects(hosts.forEnvironment(t.orgId, wrong).okta!.usersInGroup('00gops'), /the environment's integrations.okta_id .* is not an integration of type okta/);
    await assert.rejects(hosts.forEnvironment(t.orgId, null).github!.repoCollaborators('api', ['admin']), /GitHub is not configured for this flow/);
  });
});
