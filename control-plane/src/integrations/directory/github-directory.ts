/**
 * `github.get_repo_collaborators` with `@octokit/rest`, with the `github` strategy's token
 * (`settings.api_token_secret`) and organization (`external_id`). Collaborators are returned as
 * the Sym users whose `github` identity is their login, as Sym does; others are left out.
 */
import { Octokit } from '@octokit/rest';
import { StrategyError } from '../../features/strategies/access-strategy';
import { githubBaseUrl, githubError } from '../../features/strategies/github/github-strategy';
import type { VendorContext } from '../../features/strategies/native-strategy';
import type { UserRecord } from '../../features/users/user-store';
import type { GitHubDirectoryHost, SymUser } from '../../sandbox';
import { hookError } from './directory-context';

const READ_PERMISSION =
  "the token may not list this repository's collaborators: a classic token needs the repo scope (read:org for organization members), a fine-grained token Metadata: read on the repository, and its owner must have push access to it";
const MAX_PAGES = 50;

/** The GitHub door for hooks of one environment. */
export function createGitHubDirectory(context: VendorContext, deps: { findByIdentity: (values: string[]) => Promise<Pick<UserRecord, 'id' | 'email' | 'identities'>[]> }): GitHubDirectoryHost {
  let octokit: Promise<Octokit> | undefined;
  const connect = () =>
    (octokit ??= (async () =>
      new Octokit({
        auth: await context.secret('api_token_secret'),
        baseUrl: githubBaseUrl(context.env),
        userAgent: 'opensym-control-plane',
        request: { signal: AbortSignal.timeout(60_000) },
      }))());

  return {
    async repoCollaborators(repoName, roles) {
      try {
        const org = context.externalId.trim();
        if (!org) throw new StrategyError('the github integration needs external_id: the GitHub organization', false);
        if (repoName.includes('/')) throw new StrategyError(`repo_name is the repository's name without the organization (${org} comes from the integration); got ${JSON.stringify(repoName)}`, false);
        const api = await connect();
        const logins: string[] = [];
        try {
          let pages = 0;
          for await (const { data } of api.paginate.iterator(api.rest.repos.listCollaborators, { owner: org, repo: repoName, affiliation: 'all', per_page: 100 })) {
            if (++pages > MAX_PAGES) throw new StrategyError(`${org}/${repoName} has more than ${MAX_PAGES * 100} collaborators; github.get_repo_collaborators reads at most that many`, false);
            // role_name is exclusive (an admin is not "write"), as Sym documents for `roles`.
            for (const c of data) if (c.role_name && roles.includes(c.role_name)) logins.push(c.login);
          }
        } catch (error) {
          throw githubError(
            error,
            `listing the collaborators of ${org}/${repoName}`,
            `GitHub knows no repository ${org}/${repoName} (or the token cannot see it): check repo_name and the integration's organization`,
          );
        }
        if (logins.length === 0) return [];
        // Logins are case-insensitive (the store matches ignoring case; checked again here).
        const wanted = new Set(logins.map((l) => l.toLowerCase()));
        const users = await deps.findByIdentity([...wanted]);
        return users
          .filter((u) => typeof u.identities.github === 'string' && wanted.has(u.identities.github.toLowerCase()))
          .map((u): SymUser => ({ id: u.id, email: u.email, username: u.email, identities: { ...u.identities } }));
      } catch (error) {
        throw hookError(error, context, READ_PERMISSION);
      }
    },
  };
}
