// `github` strategies through the whole request lifecycle (API, PGlite, job queue), with
// @octokit/rest talking to the GitHub double: collaborator with a permission level and team
// membership granted and taken back, pending invitations cancelled (across pages), rate limits
// (403 and 429 with retry-after) and 5xx retried, a read-only token shown clearly on the request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startNativeLifecycle, type NativeLifecycle } from '../testing/native-lifecycle';
import { startGitHubDouble, type GitHubDouble } from './testing/github-double';

const ORG = 'acme';

describe('github strategy in the request lifecycle (GitHub double, real Octokit)', () => {
  let gh: GitHubDouble;
  let f: NativeLifecycle;
  let flow: string;
  let readOnlyFlow: string;
  let repo: string;
  let team: string;
  let dev: { id: string; token: string };
  let outsider: { id: string; token: string };

  before(async () => {
    gh = await startGitHubDouble();
    gh.addUser('dev-octocat', 'dev@example.com');
    gh.addUser('outside-collab', 'outsider@example.com', true);
    gh.orgMember(ORG, 'dev-octocat');
    gh.addRepo(ORG, 'private-repo');
    gh.addTeam(ORG, 'oncall');
    for (let i = 0; i < 105; i += 1) gh.addUser(`someone-${i}`, `someone-${i}@example.com`);
    f = await startNativeLifecycle({ SYM_GITHUB_API_URL: gh.url, SYM_SECRET_GITHUB: gh.token, SYM_SECRET_GITHUB_RO: gh.readOnlyToken });
    const integration = await f.create('integrations', { type: 'github', name: 'github', external_id: ORG, settings: { api_token_secret: await f.secret('GITHUB') } });
    const readOnly = await f.create('integrations', { type: 'github', name: 'github-ro', external_id: ORG, settings: { api_token_secret: await f.secret('GITHUB_RO') } });
    repo = await f.create('access-targets', { type: 'github_repo', name: 'private-repo', settings: { repo_name: 'private-repo', permission: 'maintain' } });
    team = await f.create('access-targets', { type: 'github_team', name: 'oncall', settings: { team_slug: 'oncall', role: 'member' } });
    const strategy = await f.create('access-strategies', { type: 'github', name: 'github', integration_id: integration, targets: [repo, team] });
    const readOnlyStrategy = await f.create('access-strategies', { type: 'github', name: 'github-ro', integration_id: readOnly, targets: [repo] });
    flow = await f.flow('github', strategy);
    readOnlyFlow = await f.flow('github-ro', readOnlyStrategy);
    dev = await f.person('dev@example.com');
    outsider = await f.person('outsider@example.com', 'member', { github: 'outside-collab' });
  });
  after(async () => {
    await f?.close();
    await gh?.close();
  });

  it("an organization member becomes a collaborator with the target's permission, found by public email, and is removed on revoke", async () => {
    const id = await f.request(dev.token, flow, repo);
    await f.approve(id);
    await f.drain();
    const active = await f.get(id);
    assert.equal(active.state, 'active');
    assert.deepEqual(gh.collaborators(ORG, 'private-repo'), { 'dev-octocat': 'maintain' });
    await f.revoke(id, dev.token);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.deepEqual(gh.collaborators(ORG, 'private-repo'), {});
    assert.equal(gh.server.requests.filter((r) => r.path === '/search/users').length, 1, 'looked up once, then cached');
    assert.ok(f.lines.every((line) => !line.includes(gh.token)));
  });

  it('an outside user (stored github identity) is invited; revoking cancels the pending invitation found on a later page', async () => {
    // Other people's pending invitations fill the first page of the invitations list.
    for (let i = 0; i < 105; i += 1) gh.invite(ORG, 'private-repo', `someone-${i}`);
    const id = await f.request(outsider.token, flow, repo);
    await f.approve(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.equal(gh.invitations(ORG, 'private-repo').at(-1), 'outside-collab');
    assert.equal(gh.invitations(ORG, 'private-repo').length, 106);
    await f.revoke(id, outsider.token);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.ok(!gh.invitations(ORG, 'private-repo').includes('outside-collab'));
    assert.equal(gh.invitations(ORG, 'private-repo').length, 105);
    const pages = gh.server.requests.filter((r) => r.path === `/repos/${ORG}/private-repo/invitations` && r.method === 'GET');
    assert.ok(pages.length >= 2, `followed the Link header to page 2 (${pages.length} GETs)`);
  });

  it('team membership is granted with the role and taken back; removing a non-member is success', async () => {
    const id = await f.request(dev.token, flow, team);
    await f.approve(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.deepEqual(gh.teamMembers(ORG, 'oncall'), { 'dev-octocat': 'member' });
    await f.revoke(id, dev.token);
    await f.drain();
    assert.deepEqual(gh.teamMembers(ORG, 'oncall'), {});
    const again = await f.request(dev.token, flow, team);
    await f.approve(again);
    await f.drain();
    await f.revoke(again, dev.token);
    gh.server.requests.length = 0;
    await f.drain();
    assert.equal((await f.get(again)).state, 'done');
  });

  it('secondary rate limits (403 and 429 with retry-after) and a 502 are retried on both steps', async () => {
    gh.rateLimit('PUT', /\/collaborators\/dev-octocat$/, 403);
    gh.fail('PUT', /\/collaborators\/dev-octocat$/, 502);
    const id = await f.request(dev.token, flow, repo);
    await f.approve(id);
    await f.drain();
    const active = await f.get(id);
    assert.equal(active.state, 'active');
    const errors = active.events.map((e) => String(e.data.error ?? ''));
    assert.ok(
      errors.some((e) => /HTTP 429 \(You have exceeded a secondary rate limit.*retry after 1 s: will retry/.test(e)),
      JSON.stringify(errors),
    );
    assert.ok(errors.some((e) => /HTTP 502/.test(e)));
    gh.rateLimit('DELETE', /\/collaborators\/dev-octocat$/, 429);
    gh.fail('DELETE', /\/collaborators\/dev-octocat$/, 500);
    await f.revoke(id, dev.token);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.deepEqual(gh.collaborators(ORG, 'private-repo'), {});
  });

  it('a token without administration permission fails the request saying which permission is missing', async () => {
    const id = await f.request(dev.token, readOnlyFlow, repo);
    await f.approve(id);
    await f.drain();
    const failed = await f.get(id);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.last_error), /HTTP 403 \(Resource not accessible by personal access token\); missing permission: .*GitHub asks for administration=write/);
  });

  it('a requester whose email GitHub does not show is told to set their github identity', async () => {
    const hidden = await f.person('nobody@example.com');
    const id = await f.request(hidden.token, flow, repo);
    await f.approve(id);
    await f.drain();
    const failed = await f.get(id);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.last_error), /no GitHub user shows the email nobody@example\.com: set the user's github identity/);
  });
});
