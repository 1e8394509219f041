// sym/_directory: Sym's directory helpers (okta, google, github), each one host call that the
// sandbox counts. Keyword arguments of Sym's Python SDK are an options object here.
import { callHost, freeze } from 'sym/_core';

// Captured before user code runs, like sym/_core's own.
const isArray = Array.isArray;

function opts(value, key) {
  return typeof value === 'string' ? { [key]: value } : value || {};
}

/** @type {typeof import('sym/sdk').okta} */
export const okta = freeze({
  is_user_in_group: (user, options) => callHost('okta.is_user_in_group', { user, group_id: opts(options, 'group_id').group_id }),
  users_in_group: (options) => callHost('okta.users_in_group', { group_id: opts(options, 'group_id').group_id }),
});

/** @type {typeof import('sym/sdk').google} */
export const google = freeze({
  is_user_in_group: (user, options) => callHost('google.is_user_in_group', { user, group_email: opts(options, 'group_email').group_email }),
  users_in_group: (group, options) => {
    const o = { ...opts(group, 'group_email'), ...(options || {}) };
    return callHost('google.users_in_group', { group_email: o.group_email, include_indirect_members: o.include_indirect_members !== false });
  },
});

/** @type {typeof import('sym/sdk').github} */
export const github = freeze({
  get_repo_collaborators: (options) => {
    const o = options || {};
    const roles = typeof o.roles === 'string' ? [o.roles] : isArray(o.roles) ? o.roles : o.roles ? [...o.roles] : o.roles;
    return callHost('github.get_repo_collaborators', { repo_name: o.repo_name, roles });
  },
});
