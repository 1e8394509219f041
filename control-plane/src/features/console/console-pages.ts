/**
 * The console's pages: small functions from data to `Html`, one per page, sharing one layout.
 * No script anywhere (the Content-Security-Policy forbids it); forms post back to /console.
 */
import type { AccessRequest, Token, User } from '@opensym/schemas';
import type { EntityResponse } from '../entities/entity-service';
import type { RequestActions } from '../requests/request-service';
import { html, type Html } from './html';

/** Who is signed in, as the header shows it. */
export interface Viewer {
  label: string;
  role: 'admin' | 'member' | 'guest';
  /** CSRF token of the session, for the header's sign-out form and every other form. */
  csrf: string;
}

/** A notice at the top of a page: `role="alert"` for refusals, `role="status"` for outcomes. */
export interface Notice {
  kind: 'error' | 'ok';
  text: string;
}

const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}" />`;

const noticeOf = (notice: Notice | undefined) =>
  notice && (notice.kind === 'error' ? html`<p class="notice error" role="alert" id="notice">${notice.text}</p>` : html`<p class="notice ok" role="status" id="notice">${notice.text}</p>`);

/** The page frame: skip link, navigation (by role), main landmark with the page's `h1`. */
export function layout({ title, viewer, notice, body }: { title: string; viewer?: Viewer; notice?: Notice; body: Html }): Html {
  const nav = viewer
    ? html`<nav aria-label="Console">
        <ul>
          <li><a href="/console/requests">Requests</a></li>
          ${viewer.role !== 'guest' && html`<li><a href="/console/flows">Flows</a></li>`}
          ${
            viewer.role === 'admin' &&
            html`<li><a href="/console/users">Users</a></li>
              <li><a href="/console/tokens">Tokens</a></li>`
          }
        </ul>
        <form method="post" action="/console/sign-out" class="sign-out">
          <span>Signed in as ${viewer.label} (${viewer.role})</span> ${csrfField(viewer.csrf)}<button type="submit">Sign out</button>
        </form>
      </nav>`
    : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · OpenSym console</title>
        <link rel="stylesheet" href="/console/style.css" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <p class="brand">OpenSym console</p>
          ${nav}
        </header>
        <main id="main" tabindex="-1">
          <h1>${title}</h1>
          ${noticeOf(notice)} ${body}
        </main>
      </body>
    </html>`;
}

/** The sign-in form (API token). */
export function signInPage({ csrf, notice }: { csrf: string; notice?: Notice }): Html {
  return layout({
    title: 'Sign in',
    notice,
    body: html`<form method="post" action="/console/sign-in" class="stack">
      ${csrfField(csrf)}
      <label for="token">API token</label>
      <input id="token" name="token" type="password" autocomplete="off" required autofocus aria-describedby="token-help" ${notice?.kind === 'error' ? html` aria-invalid="true"` : ''} />
      <p id="token-help" class="help">A token from <code>sym tokens issue</code> or an admin. It is checked once; the console keeps only a signed session cookie.</p>
      <button type="submit">Sign in</button>
    </form>`,
  });
}

const when = (iso: string | null | undefined) => (iso ? html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time>` : '—');
const valueText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** Filters of the requests list, as given in the query string. */
export interface RequestFilters {
  state?: string;
  flow?: string;
  requester?: string;
}

/** The requests list with its filter form and a link to the next page. */
export function requestsPage({
  viewer,
  states,
  filters,
  page,
  notice,
}: {
  viewer: Viewer;
  states: readonly string[];
  filters: RequestFilters;
  page: { data: AccessRequest[]; next_page_token: string | null };
  notice?: Notice;
}): Html {
  const next = page.next_page_token && new URLSearchParams({ ...clean(filters), page_token: page.next_page_token }).toString();
  const rows = page.data.map(
    (r) =>
      html`<tr>
        <td><a href="/console/requests/${r.id}">${r.flow.name}</a></td>
        <td><span class="state state-${r.state}">${r.state}</span></td>
        <td>${r.requester.email}</td>
        <td>${when(r.created_at)}</td>
      </tr>`,
  );
  return layout({
    title: 'Requests',
    viewer,
    notice,
    body: html`<form method="get" action="/console/requests" class="filters" aria-label="Filter requests">
        <div>
          <label for="f-state">State</label>
          <select id="f-state" name="state">
            <option value="">any</option>
            ${states.map((s) => html`<option value="${s}" ${filters.state === s ? html` selected` : ''}>${s}</option>`)}
          </select>
        </div>
        <div><label for="f-flow">Flow</label><input id="f-flow" name="flow" value="${filters.flow ?? ''}" /></div>
        <div><label for="f-requester">Requester (email or id)</label><input id="f-requester" name="requester" value="${filters.requester ?? ''}" /></div>
        <button type="submit">Filter</button>
      </form>
      ${
        page.data.length === 0
          ? html`<p>No requests match.</p>`
          : html`<table>
              <caption>
                Requests, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Flow</th>
                  <th scope="col">State</th>
                  <th scope="col">Requester</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>`
      }
      ${next && html`<p><a href="/console/requests?${next}" rel="next">Next page</a></p>`}`,
  });
}

const clean = (filters: RequestFilters): Record<string, string> => Object.fromEntries(Object.entries(filters).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>;

const decisionForm = (id: string, action: 'approve' | 'deny' | 'revoke', label: string, csrf: string) =>
  html`<form method="post" action="/console/requests/${id}/${action}" class="decision">
    ${csrfField(csrf)}
    <label for="reason-${action}">Message (optional)</label>
    <input id="reason-${action}" name="reason" maxlength="1000" />
    <button type="submit" class="${action}">${label}</button>
  </form>`;

/** One request: its details, the actions the viewer may take, and its timeline from the audit trail. */
export function requestPage({
  viewer,
  request,
  actions,
  emails,
  notice,
}: {
  viewer: Viewer;
  request: AccessRequest;
  actions: RequestActions;
  emails: ReadonlyMap<string, string>;
  notice?: Notice;
}): Html {
  const who = (id: string | null | undefined) => (id ? (emails.get(id) ?? id) : 'the control plane');
  const events = (request.events ?? []).map((e) => {
    const data = (e.data ?? {}) as Record<string, unknown>;
    const message = data.reason ?? data.message ?? data.error;
    return html`<li><span class="event">${e.type}</span> ${when(e.at)} by ${who(e.actor_user_id)}${typeof message === 'string' && html`: <q>${message}</q>`}</li>`;
  });
  const buttons = [
    actions.approve && decisionForm(request.id, 'approve', 'Approve', viewer.csrf),
    actions.deny && decisionForm(request.id, 'deny', actions.own ? 'Withdraw' : 'Deny', viewer.csrf),
    actions.revoke && decisionForm(request.id, 'revoke', 'Revoke', viewer.csrf),
  ].filter(Boolean) as Html[];
  return layout({
    title: `Request ${request.flow.name}`,
    viewer,
    notice,
    body: html`<dl class="facts">
        <dt>State</dt>
        <dd id="state"><span class="state state-${request.state}">${request.state}</span></dd>
        <dt>Flow</dt>
        <dd>${request.flow.name} (version ${request.flow.version})</dd>
        <dt>Requester</dt>
        <dd>${request.requester.email}</dd>
        ${Object.entries(request.fields ?? {}).map(
          ([k, v]) =>
            html`<dt>${k}</dt>
              <dd>${valueText(v)}</dd>`,
        )}
        ${
          request.reason !== null &&
          html`<dt>Message</dt>
            <dd>${request.reason}</dd>`
        }
        ${
          request.pending_until &&
          html`<dt>Pending until</dt>
            <dd>${when(request.pending_until)}</dd>`
        }
        ${
          request.active_until &&
          html`<dt>Active until</dt>
            <dd>${when(request.active_until)}</dd>`
        }
      </dl>
      <section aria-labelledby="actions-h">
        <h2 id="actions-h">Actions</h2>
        ${buttons.length ? buttons : html`<p>You have no action on this request.</p>`}
      </section>
      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <ol class="timeline">
          ${events}
        </ol>
      </section>`,
  });
}

/** The flows with their implementation and version (the time of their last change). */
export function flowsPage({ viewer, flows, next }: { viewer: Viewer; flows: EntityResponse[]; next: string | null }): Html {
  const items = flows.map(
    (f) =>
      html`<section aria-labelledby="flow-${f.id}">
        <h2 id="flow-${f.id}">${String(f.name)}</h2>
        <dl class="facts">
          <dt>Label</dt>
          <dd>${String(f.label ?? '')}</dd>
          <dt>Version</dt>
          <dd>${when(f.updated_at)}</dd>
        </dl>
        <details>
          <summary>Implementation</summary>
          <pre><code>${String(f.implementation ?? '')}</code></pre>
        </details>
      </section>`,
  );
  return layout({
    title: 'Flows',
    viewer,
    body: html`${items.length ? items : html`<p>No flows yet.</p>`}${next && html`<p><a href="/console/flows?page_token=${next}" rel="next">Next page</a></p>`}`,
  });
}

/** The organization's users (admins only), each with a button issuing a one-time sign-in link (shown once). */
export function usersPage({ viewer, users, next, link }: { viewer: Viewer; users: User[]; next: string | null; link?: { email: string; url: string; minutes: number } }): Html {
  return layout({
    title: 'Users',
    viewer,
    body: html`${
        link &&
        html`<section class="issued" aria-labelledby="link-h">
          <h2 id="link-h">Sign-in link for ${link.email}</h2>
          <p>Send it to ${link.email}: it signs them in once, within ${link.minutes} minutes, and is shown only here.</p>
          <p><label for="link-url">Link</label> <input id="link-url" readonly value="${link.url}" size="80" autofocus /></p>
        </section>`
      }
      <table>
        <caption>
          Users
        </caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${users.map(
            (u) =>
              html`<tr>
                <td>${u.email}</td>
                <td>${u.role}</td>
                <td>${when(u.created_at)}</td>
                <td>
                  <form method="post" action="/console/users/${u.id}/sign-in-link">
                    ${csrfField(viewer.csrf)}<button type="submit" aria-label="One-time sign-in link for ${u.email}">Sign-in link</button>
                  </form>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${next && html`<p><a href="/console/users?page_token=${next}" rel="next">Next page</a></p>`}`,
  });
}

/** The page a one-time link opens: a button, so that a link preview fetching the page does not use the link up. */
export function signInLinkPage({ email, code, csrf }: { email: string; code: string; csrf: string }): Html {
  return layout({
    title: 'Sign in with a link',
    body: html`<form method="post" action="/console/link/${code}" class="stack">
      ${csrfField(csrf)}
      <p>This one-time link signs you in as <strong>${email}</strong>.</p>
      <button type="submit" autofocus>Sign in as ${email}</button>
    </form>`,
  });
}

/** The organization's tokens (admins only): issue one (its secret shown once, here) or revoke one. */
export function tokensPage({
  viewer,
  tokens,
  users,
  next,
  issued,
  notice,
}: {
  viewer: Viewer;
  tokens: Token[];
  users: User[];
  next: string | null;
  issued?: { name: string; token: string };
  notice?: Notice;
}): Html {
  const emailOf = new Map(users.map((u) => [u.id, u.email]));
  return layout({
    title: 'Tokens',
    viewer,
    notice,
    body: html`${
        issued &&
        html`<section class="issued" aria-labelledby="issued-h">
          <h2 id="issued-h">New token "${issued.name}"</h2>
          <p>Copy it now: it is shown this once and stored only as a hash.</p>
          <p><label for="issued-token">Token</label> <input id="issued-token" readonly value="${issued.token}" size="60" autofocus /></p>
        </section>`
      }
      <table>
        <caption>
          Tokens (their secrets are never shown)
        </caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">User</th>
            <th scope="col">Last used</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${tokens.map(
            (t) =>
              html`<tr>
                <td>${t.name}</td>
                <td>${t.role}</td>
                <td>${t.user_id ? (emailOf.get(t.user_id) ?? t.user_id) : 'bot'}</td>
                <td>${when(t.last_used_at)}</td>
                <td>
                  <form method="post" action="/console/tokens/${t.id}/revoke">${csrfField(viewer.csrf)}<button type="submit" aria-label="Revoke token ${t.name}">Revoke</button></form>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${next && html`<p><a href="/console/tokens?page_token=${next}" rel="next">Next page</a></p>`}
      <section aria-labelledby="issue-h">
        <h2 id="issue-h">Issue a token</h2>
        <form method="post" action="/console/tokens" class="stack">
          ${csrfField(viewer.csrf)}
          <label for="t-user">For user</label>
          <select id="t-user" name="user_id">
            <option value="">none (a bot token)</option>
            ${users.map((u) => html`<option value="${u.id}">${u.email}</option>`)}
          </select>
          <label for="t-name">Name</label>
          <input id="t-name" name="name" maxlength="200" />
          <label for="t-role">Role of a bot token</label>
          <select id="t-role" name="role">
            <option value="member">member</option>
            <option value="admin">admin</option>
            <option value="guest">guest</option>
          </select>
          <button type="submit">Issue token</button>
        </form>
      </section>`,
  });
}

/** A refusal or a missing page, with the API's reason. */
export function errorPage({ viewer, title, detail }: { viewer?: Viewer; title: string; detail: string }): Html {
  return layout({ title, viewer, notice: { kind: 'error', text: detail }, body: html`<p><a href="/console/requests">Back to the requests</a></p>` });
}
