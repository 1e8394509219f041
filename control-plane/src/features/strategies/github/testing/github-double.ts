// Test double of the GitHub REST API parts the github strategy uses, after GitHub's published
// reference: `Authorization: token|Bearer <token>` (401 "Bad credentials"); collaborators
// (GET paged with `role_name`; PUT 201 with the invitation for a non-member, 204 when already a
// collaborator; DELETE 204);
// repository invitations (GET paged with `per_page`/`page` and a `Link` header with rel="next" and
// "last"; DELETE 204); team memberships (PUT 200 `{role, state}`, DELETE 204, 404 for a non-member);
// users and user search by email. Every answer carries the x-ratelimit-* headers; a token without
// the admin permission gets 403 "Resource not accessible by personal access token" with
// `x-accepted-github-permissions`; injected rate limits answer 403 or 429 with `retry-after`.
import { randomBytes } from 'node:crypto';
import { startVendorServer, type VendorReply, type VendorRequest, type VendorServer } from '../../../../test-support/vendor-double';

/** A running GitHub double; `url` is the `baseUrl` to give Octokit. */
export interface GitHubDouble {
  url: string;
  server: VendorServer;
  /** A token with administration (and members) write permission on the organization. */
  token: string;
  /** A fine-grained token with read access only. */
  readOnlyToken: string;
  /** A user; `email` is public (found by search) unless `privateEmail`. */
  addUser(login: string, email: string, privateEmail?: boolean): void;
  /** A repository of `org`; `members` are organization members (added directly, without invitation). */
  addRepo(org: string, name: string): void;
  addTeam(org: string, slug: string): void;
  orgMember(org: string, login: string): void;
  /** Collaborators of `org/name` with their permission. */
  collaborators(org: string, name: string): Record<string, string>;
  /** Makes `login` a collaborator of `org/name` with `permission` (pull, triage, push, maintain, admin), as if granted earlier. */
  addCollaborator(org: string, name: string, login: string, permission: string): void;
  /** Adds a pending invitation of `login` (a known user) to `org/name`, as if someone had invited them. */
  invite(org: string, name: string, login: string, permission?: string): void;
  /** Logins with a pending invitation to `org/name`. */
  invitations(org: string, name: string): string[];
  /** Team members with their role and state. */
  teamMembers(org: string, slug: string): Record<string, string>;
  /** Answers the next `times` matching requests with a secondary rate limit (`status` 403 or 429, `retry-after: 1`). */
  rateLimit(method: string, path: RegExp, status?: 403 | 429, times?: number): void;
  /** Answers the next `times` matching requests with `status` (e.g. 502). */
  fail(method: string, path: RegExp, status: number, times?: number): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';

function error(status: number, message: string, headers: Record<string, string> = {}): VendorReply {
  return { status, headers, body: { message, documentation_url: DOCS, status: String(status) } };
}

/** Starts the double with no users, repositories or teams. */
export async function startGitHubDouble(): Promise<GitHubDouble> {
  const token = `ghp_${randomBytes(18).toString('hex')}`;
  const readOnlyToken = `github_pat_${randomBytes(18).toString('hex')}`;
  const users = new Map<string, { login: string; id: number; email: string; privateEmail: boolean }>();
  const repos = new Map<string, { collaborators: Map<string, string>; invitations: { id: number; login: string; permission: string }[] }>();
  const teams = new Map<string, Map<string, string>>();
  const members = new Map<string, Set<string>>();
  let nextId = 1000;
  let used = 0;

  const user = (login: string) => users.get(login.toLowerCase());
  const notFound = () => error(404, 'Not Found');
  const readOnly = (request: VendorRequest) => {
    if (!request.headers.authorization?.endsWith(readOnlyToken)) return undefined;
    return error(403, 'Resource not accessible by personal access token', { 'x-accepted-github-permissions': 'administration=write' });
  };
  const repoOf = (request: VendorRequest) => repos.get(`${request.params.owner}/${request.params.repo}`.toLowerCase());
  const simpleUser = (login: string) => ({ login, id: user(login)?.id ?? 0, type: 'User', site_admin: false });

  const server = await startVendorServer({
    authenticate(request) {
      const auth = request.headers.authorization ?? '';
      const given = auth.replace(/^(token|bearer)\s+/i, '');
      if (given !== token && given !== readOnlyToken) return error(401, 'Bad credentials');
      return undefined;
    },
    commonHeaders() {
      used += 1;
      return {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': String(5000 - used),
        'x-ratelimit-used': String(used),
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        'x-ratelimit-resource': 'core',
        'x-github-api-version-selected': '2022-11-28',
        'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
      };
    },
    notFound,
    routes: [
      {
        method: 'GET',
        pattern: '/users/:login',
        handle: (request) => (user(request.params.login) ? { status: 200, body: simpleUser(user(request.params.login)!.login) } : notFound()),
      },
      {
        method: 'GET',
        pattern: '/search/users',
        handle(request) {
          const q = request.query.get('q') ?? '';
          const email = /^(\S+@\S+)\s+in:email$/.exec(q)?.[1]?.toLowerCase();
          if (!email) return error(422, 'Validation Failed');
          const found = [...users.values()].filter((u) => !u.privateEmail && u.email.toLowerCase() === email);
          return { status: 200, body: { total_count: found.length, incomplete_results: false, items: found.map((u) => simpleUser(u.login)) } };
        },
      },
      {
        // List collaborators (affiliation=all): paged like invitations; `role_name` is GitHub's
        // exclusive role (read, triage, write, maintain, admin), `permissions` the flags it implies.
        method: 'GET',
        pattern: '/repos/:owner/:repo/collaborators',
        handle(request) {
          const repo = repoOf(request);
          if (!repo) return notFound();
          const perPage = Math.min(Math.max(Number(request.query.get('per_page') ?? 30) || 30, 1), 100);
          const page = Math.max(Number(request.query.get('page') ?? 1) || 1, 1);
          const all = [...repo.collaborators];
          const last = Math.max(Math.ceil(all.length / perPage), 1);
          const base = `${request.origin}${request.path}?per_page=${perPage}`;
          const links = [];
          if (page < last) links.push(`<${base}&page=${page + 1}>; rel="next"`, `<${base}&page=${last}>; rel="last"`);
          if (page > 1) links.push(`<${base}&page=${page - 1}>; rel="prev"`, `<${base}&page=1>; rel="first"`);
          const levels = ['pull', 'triage', 'push', 'maintain', 'admin'];
          const items = all.slice((page - 1) * perPage, page * perPage).map(([login, permission]) => {
            const rank = levels.indexOf(permission);
            return {
              ...simpleUser(login),
              role_name: permission === 'pull' ? 'read' : permission === 'push' ? 'write' : permission,
              permissions: Object.fromEntries(levels.map((level, i) => [level, i <= rank])),
            };
          });
          return { status: 200, headers: links.length > 0 ? { link: links.join(', ') } : {}, body: items };
        },
      },
      {
        method: 'PUT',
        pattern: '/repos/:owner/:repo/collaborators/:login',
        handle(request) {
          const repo = repoOf(request);
          const who = user(request.params.login);
          if (!repo || !who) return notFound();
          const denied = readOnly(request);
          if (denied) return denied;
          const permission = (JSON.parse(request.body || '{}') as { permission?: string }).permission ?? 'push';
          if (!['pull', 'triage', 'push', 'maintain', 'admin'].includes(permission)) return error(422, 'Validation Failed');
          if (repo.collaborators.has(who.login) || members.get(request.params.owner.toLowerCase())?.has(who.login)) {
            repo.collaborators.set(who.login, permission);
            return { status: 204 };
          }
          let invitation = repo.invitations.find((i) => i.login === who.login);
          if (invitation) invitation.permission = permission;
          else repo.invitations.push((invitation = { id: nextId++, login: who.login, permission }));
          return { status: 201, body: { id: invitation.id, invitee: simpleUser(who.login), permissions: permission === 'push' ? 'write' : permission === 'pull' ? 'read' : permission } };
        },
      },
      {
        method: 'DELETE',
        pattern: '/repos/:owner/:repo/collaborators/:login',
        handle(request) {
          const repo = repoOf(request);
          if (!repo) return notFound();
          const denied = readOnly(request);
          if (denied) return denied;
          const who = user(request.params.login);
          if (who) repo.collaborators.delete(who.login);
          return { status: 204 };
        },
      },
      {
        method: 'GET',
        pattern: '/repos/:owner/:repo/invitations',
        handle(request) {
          const repo = repoOf(request);
          if (!repo) return notFound();
          const perPage = Math.min(Math.max(Number(request.query.get('per_page') ?? 30) || 30, 1), 100);
          const page = Math.max(Number(request.query.get('page') ?? 1) || 1, 1);
          const last = Math.max(Math.ceil(repo.invitations.length / perPage), 1);
          const base = `${request.origin}${request.path}?per_page=${perPage}`;
          const links = [];
          if (page < last) links.push(`<${base}&page=${page + 1}>; rel="next"`, `<${base}&page=${last}>; rel="last"`);
          if (page > 1) links.push(`<${base}&page=${page - 1}>; rel="prev"`, `<${base}&page=1>; rel="first"`);
          const items = repo.invitations.slice((page - 1) * perPage, page * perPage).map((i) => ({ id: i.id, invitee: simpleUser(i.login), permissions: i.permission }));
          return { status: 200, headers: links.length > 0 ? { link: links.join(', ') } : {}, body: items };
        },
      },
      {
        method: 'DELETE',
        pattern: '/repos/:owner/:repo/invitations/:id',
        handle(request) {
          const repo = repoOf(request);
          if (!repo) return notFound();
          const denied = readOnly(request);
          if (denied) return denied;
          const at = repo.invitations.findIndex((i) => String(i.id) === request.params.id);
          if (at < 0) return notFound();
          repo.invitations.splice(at, 1);
          return { status: 204 };
        },
      },
      {
        method: 'PUT',
        pattern: '/orgs/:org/teams/:slug/memberships/:login',
        handle(request) {
          const team = teams.get(`${request.params.org}/${request.params.slug}`.toLowerCase());
          const who = user(request.params.login);
          if (!team || !who) return notFound();
          const denied = readOnly(request);
          if (denied) return denied;
          const role = (JSON.parse(request.body || '{}') as { role?: string }).role ?? 'member';
          if (!['member', 'maintainer'].includes(role)) return error(422, 'Validation Failed');
          team.set(who.login, role);
          const state = members.get(request.params.org.toLowerCase())?.has(who.login) ? 'active' : 'pending';
          return { status: 200, body: { url: `${request.origin}${request.path}`, role, state } };
        },
      },
      {
        method: 'DELETE',
        pattern: '/orgs/:org/teams/:slug/memberships/:login',
        handle(request) {
          const team = teams.get(`${request.params.org}/${request.params.slug}`.toLowerCase());
          const who = user(request.params.login);
          if (!team || !who) return notFound();
          const denied = readOnly(request);
          if (denied) return denied;
          if (!team.delete(who.login)) return notFound();
          return { status: 204 };
        },
      },
    ],
  });

  return {
    url: server.url,
    server,
    token,
    readOnlyToken,
    addUser: (login, email, privateEmail = false) => void users.set(login.toLowerCase(), { login, id: nextId++, email, privateEmail }),
    addRepo: (org, name) => void repos.set(`${org}/${name}`.toLowerCase(), { collaborators: new Map(), invitations: [] }),
    addTeam: (org, slug) => void teams.set(`${org}/${slug}`.toLowerCase(), new Map()),
    addCollaborator(org, name, login, permission) {
      repos.get(`${org}/${name}`.toLowerCase())?.collaborators.set(user(login)?.login ?? login, permission);
    },
    orgMember(org, login) {
      const set = members.get(org.toLowerCase()) ?? new Set<string>();
      set.add(login);
      members.set(org.toLowerCase(), set);
    },
    collaborators: (org, name) => Object.fromEntries(repos.get(`${org}/${name}`.toLowerCase())?.collaborators ?? []),
    invite: (org, name, login, permission = 'pull') => void repos.get(`${org}/${name}`.toLowerCase())?.invitations.push({ id: nextId++, login, permission }),
    invitations: (org, name) => (repos.get(`${org}/${name}`.toLowerCase())?.invitations ?? []).map((i) => i.login),
    teamMembers: (org, slug) => Object.fromEntries(teams.get(`${org}/${slug}`.toLowerCase()) ?? []),
    rateLimit(method, path, status = 429, times = 1) {
      server.inject({ method, path, times, reply: error(status, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', { 'retry-after': '1' }) });
    },
    fail(method, path, status, times = 1) {
      server.inject({ method, path, times, reply: { status, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>Server Error</h1></body></html>' } });
    },
    close: () => server.close(),
  };
}
