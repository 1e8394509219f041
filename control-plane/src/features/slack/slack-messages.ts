/**
 * The Block Kit messages about a request: the approval message (Approve / Deny while pending) and
 * the requester's DM (Revoke while access is active and the flow allows it). Both are rendered from
 * the request's current state, so posting and every later `chat.update` show the same thing.
 */
import type { SlackBlock } from '../../integrations/slack/slack-client';
import type { RequestView } from '../requests/request-service';

/** Action ids of the buttons (values are request ids). */
export const ACTIONS = { approve: 'sym_approve', deny: 'sym_deny', revoke: 'sym_revoke' } as const;

/** What a message shows besides the request itself. */
export interface MessageContext {
  flowLabel: string;
  /** Email of whoever decided or revoked (null: nobody, or a hook). */
  deciderEmail: string | null;
  allowRevoke: boolean;
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
// Slack mrkdwn: &, < and > are control characters; escape user-supplied text.
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const when = (iso: string | null | undefined) => (iso ? `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time}|${iso}>` : '');

/** One line saying where the request is. */
export function statusLine(r: RequestView, ctx: MessageContext): string {
  const by = ctx.deciderEmail ? ` by ${esc(ctx.deciderEmail)}` : '';
  const reason = r.reason ? `: ${esc(clip(r.reason, 500))}` : '';
  switch (r.state) {
    case 'pending':
      return `:hourglass: Waiting for approval${r.pending_until ? ` until ${when(r.pending_until)}` : ''}`;
    case 'approved':
      return `:white_check_mark: Approved${by}${reason}`;
    case 'denied':
      return `:no_entry: Denied${by}${reason}`;
    case 'ignored':
      return `:zzz: Ignored${reason}`;
    case 'active':
      // Who approved stays on the message once access is granted (a quick grant is its first update after the request).
      return `:unlock: Access granted until ${when(r.active_until)}${ctx.deciderEmail ? `; approved${by}` : ''}`;
    case 'deescalating':
      return r.events?.some((e) => e.type === 'request.revoked') ? `:lock: Revoked${by}; taking access back` : ':lock: Taking access back';
    case 'deescalation_failed':
      return ':warning: Taking access back failed; retrying';
    case 'done':
      return r.events?.some((e) => e.type === 'request.revoked') ? `:lock: Revoked${by}; access removed` : ':lock: Expired; access removed';
    case 'expired':
      return ':alarm_clock: Expired: nobody decided in time';
    case 'failed':
      return `:x: Failed${r.last_error ? `: ${esc(clip(r.last_error, 300))}` : ''}`;
    default:
      return String(r.state);
  }
}

function fieldsOf(r: RequestView): SlackBlock[] {
  const entries = Object.entries(r.fields ?? {}).slice(0, 9);
  const fields = entries.map(([k, v]) => ({ type: 'mrkdwn', text: clip(`*${esc(k)}*\n${esc(Array.isArray(v) ? v.join(', ') : String(v))}`, 2000) }));
  if (r.duration_seconds) fields.push({ type: 'mrkdwn', text: `*duration*\n${formatDuration(r.duration_seconds)}` });
  return fields.length > 0 ? [{ type: 'section', fields }] : [];
}

/** `3600` → `1h`. */
export function formatDuration(seconds: number): string {
  for (const [unit, size] of [
    ['w', 604800],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** The approval message: who asks for what, the status, and Approve / Deny while pending. */
export function approvalMessage(r: RequestView, ctx: MessageContext): { text: string; blocks: SlackBlock[] } {
  const status = statusLine(r, ctx);
  const head = `${esc(r.requester.email)} requests *${esc(ctx.flowLabel)}*`;
  const blocks: SlackBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: clip(head, 3000) } }, ...fieldsOf(r), { type: 'context', elements: [{ type: 'mrkdwn', text: clip(status, 3000) }] }];
  if (r.state === 'pending') {
    blocks.push({
      type: 'actions',
      block_id: 'sym_decision',
      elements: [
        { type: 'button', action_id: ACTIONS.approve, style: 'primary', text: { type: 'plain_text', text: 'Approve' }, value: r.id },
        { type: 'button', action_id: ACTIONS.deny, style: 'danger', text: { type: 'plain_text', text: 'Deny' }, value: r.id },
      ],
    });
  }
  return { text: `${r.requester.email} requests ${ctx.flowLabel}: ${status}`, blocks };
}

/** The requester's DM: their request's status, and Revoke while access is active. */
export function requesterMessage(r: RequestView, ctx: MessageContext): { text: string; blocks: SlackBlock[] } {
  const status = statusLine(r, ctx);
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: clip(`Your request for *${esc(ctx.flowLabel)}*`, 3000) } },
    ...fieldsOf(r),
    { type: 'context', elements: [{ type: 'mrkdwn', text: clip(status, 3000) }] },
  ];
  if (r.state === 'active' && ctx.allowRevoke) {
    blocks.push({ type: 'actions', block_id: 'sym_revoke', elements: [{ type: 'button', action_id: ACTIONS.revoke, style: 'danger', text: { type: 'plain_text', text: 'Revoke' }, value: r.id }] });
  }
  return { text: `Your request for ${ctx.flowLabel}: ${status}`, blocks };
}

/** The App Home: the user's latest requests with their status, Revoke on active ones the flow lets them revoke. */
export function homeView(requests: RequestView[], revocable: (r: RequestView) => boolean): SlackBlock {
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Your access requests' } }];
  if (requests.length === 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'You have made no requests. Type `/sym` to request access.' } });
  for (const r of requests.slice(0, 20)) {
    const line = `*${esc(r.flow.name)}*${r.duration_seconds ? ` (${formatDuration(r.duration_seconds)})` : ''}\n${statusLine(r, { flowLabel: r.flow.name, deciderEmail: null, allowRevoke: false })}`;
    blocks.push({
      type: 'section',
      block_id: `request:${r.id}`,
      text: { type: 'mrkdwn', text: clip(line, 3000) },
      ...(r.state === 'active' && revocable(r) && { accessory: { type: 'button', action_id: ACTIONS.revoke, style: 'danger', text: { type: 'plain_text', text: 'Revoke' }, value: r.id } }),
    });
  }
  return { type: 'home', blocks };
}
