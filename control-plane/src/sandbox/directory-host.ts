// The doors behind Sym's directory helpers in hooks (`okta`, `google`, `github` in `sym/sdk`):
// group and repository membership read through the environment's integrations. Implemented in
// integrations/directory; the sandbox only validates what the guest asks and counts the calls.
import type { SymUser } from './sandbox-call';

/** `okta.is_user_in_group` / `okta.users_in_group`: the environment's Okta integration. */
export interface OktaDirectoryHost {
  isUserInGroup(user: SymUser, groupId: string): Promise<boolean>;
  /** Members of the group as Sym users (matched to OpenSym users by email). */
  usersInGroup(groupId: string): Promise<SymUser[]>;
}

/** `google.is_user_in_group` / `google.users_in_group`: the environment's Google Workspace integration. */
export interface GoogleDirectoryHost {
  isUserInGroup(user: SymUser, groupEmail: string): Promise<boolean>;
  usersInGroup(groupEmail: string, includeIndirectMembers: boolean): Promise<SymUser[]>;
}

/** `github.get_repo_collaborators`: the environment's GitHub integration (its organization's repositories). */
export interface GitHubDirectoryHost {
  /** Collaborators whose role is one of `roles`, as the Sym users whose GitHub identity they are. */
  repoCollaborators(repoName: string, roles: string[]): Promise<SymUser[]>;
}

/** The directory doors of one invocation; a missing vendor answers `host_denied`. */
export interface DirectoryHost {
  okta?: OktaDirectoryHost;
  google?: GoogleDirectoryHost;
  github?: GitHubDirectoryHost;
}
