/**
 * `github` strategies with `@octokit/rest`: repository collaborator with a permission level
 * (`github_repo` targets) or team membership (`github_team` targets). The integration's
 * `external_id` is the GitHub organization and `settings.api_token_secret` names the `sym_secret`
 * holding a token with administration (repositories) or members (teams) write permission.
 */
import { Octokit } from '@octokit/rest';
import { strategyTargetTypes } from '@opensym/schemas';
import type { JsonValue } from '../../../sandbox';
import { StrategyError } from '../access-strategy';
import type { Env } from '../aws-client-config';
import { type NativeVendor, requesterEmail, requiredSetting, storedIdentity, type TargetView, vendorError } from '../native-strategy';

const GITHUB_API = 'https://api.github.com';
const REPO_PERMISSIONS = ['pull', 'triage', 'push', 'maintain', 'admin'] as const;
const TEAM_ROLES = ['member', 'maintainer'] as const;

/** What Octokit's RequestError carries. */
interface OctokitErrorShape {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

/** `SYM_GITHUB_API_URL` (GitHub Enterprise Server, or a test double) or api.github.com. */
export function githubBaseUrl(env: Env): string {
  return (env.SYM_GITHUB_API_URL?.trim() || GITHUB_API).replace(/\/+$/, '');
}

/** A GitHub failure as a StrategyError. GitHub answers rate limits with 403 or 429 plus `retry-after` or `x-ratelimit-remaining: 0`. */
export function githubError(error: unknown, what: string, notFound?: string): StrategyError {
  if (error instanceof StrategyError) return error;
  const e = (error ?? {}) as OctokitErrorShape;
  const headers = e.response?.headers ?? {};
  const data = e.response?.data;
  const message = data && typeof data === 'object' && 'message' in data ? String((data as { message: unknown }).message) : '';
  const rateLimited = (e.status === 403 || e.status === 429) && (headers['retry-after'] !== undefined || headers['x-ratelimit-remaining'] === '0');
  const retryAfter = Number(headers['retry-after'] ?? (headers['x-ratelimit-reset'] ? Number(headers['x-ratelimit-reset']) - Date.now() / 1000 : NaN));
  const needed = headers['x-accepted-github-permissions'];
  // Octokit reports a request that got no answer at all as status 500 with the fetch error's message.
  const status = e.response ? e.status : undefined;
  return vendorError('GitHub', {
    what,
    status: rateLimited ? 429 : status,
    detail: message || (status === undefined ? (e.message ?? String(error)) : ''),
    forbidden: `the token may not do this${needed ? ` (GitHub asks for ${needed})` : ''}: a classic token needs the repo (and admin:org for teams) scope, a fine-grained token Administration: write on the repository (Members: write for teams), and its owner must be an organization owner or repository admin`,
    notFound,
    ...(rateLimited && Number.isFinite(retryAfter) && { retryAfterSeconds: Math.max(0, Math.ceil(retryAfter)) }),
  });
}

function loginOf(identity: JsonValue): string {
  const login = identity && typeof identity === 'object' && !Array.isArray(identity) ? identity.login : undefined;
  if (typeof login !== 'string' || !login) throw new StrategyError('the cached GitHub identity has no login', false);
  return login;
}

/** `repo_name` as owner and name: `name` in the integration's organization, or `owner/name`. */
function repoOf(target: TargetView, org: string): { owner: string; repo: string } {
  const name = requiredSetting(target, 'repo_name', 'the repository name');
  const [owner, repo] = name.includes('/') ? name.split('/', 2) : [org, name];
  return { owner, repo };
}

function choice<T extends string>(target: TargetView, key: string, allowed: readonly T[], fallback: T): T {
  const value = target.settings[key]?.trim() || fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new StrategyError(`target ${target.name}: settings.${key} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`, false);
  return value as T;
}

/** The `github` vendor: requester by their stored `github` identity, else a unique public-email match; cached as `{ login }`. */
export const githubVendor: NativeVendor = {
  label: 'GitHub',
  targetTypes: strategyTargetTypes.github ?? [],
  identityService: 'github',
  async connect(context) {
    const org = context.externalId.trim();
    if (!org) throw new StrategyError('the github integration needs external_id: the GitHub organization', false);
    // No retry or throttling plugins: the job queue retries, and records every attempt.
    // The client lives for one invocation: its calls together get at most 2 minutes, so a hung GitHub cannot hold the job.
    const octokit = new Octokit({
      auth: await context.secret('api_token_secret'),
      baseUrl: githubBaseUrl(context.env),
      userAgent: 'opensym-control-plane',
      request: { signal: AbortSignal.timeout(120_000) },
    });
    return {
      async identify(user) {
        const stored = storedIdentity(user, 'github');
        if (stored) {
          try {
            const found = await octokit.rest.users.getByUsername({ username: stored });
            return { login: found.data.login };
          } catch (error) {
            throw githubError(error, `looking up GitHub user ${stored}`, `GitHub knows no user ${stored}: fix the user's github identity`);
          }
        }
        const email = requesterEmail(user);
        let items: { login: string }[];
        try {
          items = (await octokit.rest.search.users({ q: `${email} in:email` })).data.items;
        } catch (error) {
          throw githubError(error, `searching GitHub for ${email}`);
        }
        if (items.length !== 1) {
          throw new StrategyError(
            `${items.length === 0 ? 'no GitHub user shows' : 'several GitHub users show'} the email ${email}: set the user's github identity to their GitHub login (PATCH /api/v1/users/{id} with identities.github)`,
            false,
          );
        }
        return { login: items[0].login };
      },

      async grant(identity, target): Promise<JsonValue> {
        const username = loginOf(identity);
        if (target.type === 'github_team') {
          const team_slug = requiredSetting(target, 'team_slug', 'the team slug');
          const role = choice(target, 'role', TEAM_ROLES, 'member');
          try {
            const { data } = await octokit.rest.teams.addOrUpdateMembershipForUserInOrg({ org, team_slug, username, role });
            return { github_team: team_slug, login: username, role, state: data.state };
          } catch (error) {
            throw githubError(
              error,
              `adding ${username} to team ${org}/${team_slug}`,
              `GitHub knows no team ${org}/${team_slug} or user ${username} (or the token cannot see them): check target ${target.name}'s settings.team_slug`,
            );
          }
        }
        const { owner, repo } = repoOf(target, org);
        const permission = choice(target, 'permission', REPO_PERMISSIONS, 'push');
        try {
          const answer = await octokit.rest.repos.addCollaborator({ owner, repo, username, permission });
          // 201: an invitation the user accepts on GitHub; 204: a collaborator already (permission updated).
          return { github_repo: `${owner}/${repo}`, login: username, permission, state: answer.status === 201 ? 'invited' : 'collaborator' };
        } catch (error) {
          throw githubError(
            error,
            `adding ${username} to ${owner}/${repo} (${permission})`,
            `GitHub knows no repository ${owner}/${repo} or user ${username} (or the token cannot see them): check target ${target.name}'s settings.repo_name`,
          );
        }
      },

      async revoke(identity, target): Promise<JsonValue> {
        const username = loginOf(identity);
        if (target.type === 'github_team') {
          const team_slug = requiredSetting(target, 'team_slug', 'the team slug');
          try {
            await octokit.rest.teams.removeMembershipForUserInOrg({ org, team_slug, username });
          } catch (error) {
            // GitHub answers 404 for a user who is not (or no longer) a member.
            if ((error as OctokitErrorShape).status !== 404) throw githubError(error, `removing ${username} from team ${org}/${team_slug}`);
          }
          return { github_team: team_slug, login: username, member: false };
        }
        const { owner, repo } = repoOf(target, org);
        try {
          await octokit.rest.repos.removeCollaborator({ owner, repo, username });
        } catch (error) {
          if ((error as OctokitErrorShape).status !== 404) throw githubError(error, `removing ${username} from ${owner}/${repo}`);
          return { github_repo: `${owner}/${repo}`, login: username, collaborator: false };
        }
        // An invitation not yet accepted would still grant access once accepted: cancel it too.
        let cancelled = 0;
        try {
          const invitations = await octokit.paginate(octokit.rest.repos.listInvitations, { owner, repo, per_page: 100 });
          for (const invitation of invitations) {
            if (invitation.invitee?.login?.toLowerCase() !== username.toLowerCase()) continue;
            try {
              await octokit.rest.repos.deleteInvitation({ owner, repo, invitation_id: invitation.id });
              cancelled += 1;
            } catch (error) {
              if ((error as OctokitErrorShape).status !== 404) throw error;
            }
          }
        } catch (error) {
          throw githubError(error, `cancelling ${username}'s invitation to ${owner}/${repo}`);
        }
        return { github_repo: `${owner}/${repo}`, login: username, collaborator: false, invitations_cancelled: cancelled };
      },
    };
  },
};
