/** Who was asked to approve, in words, from a request's `notifications` (the SDK's Slack recipients). */
import type { AccessRequest } from '@opensym/api-client';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One recipient as a person reads it: `the Slack channel #x`, an email, or a Slack user id. */
function describe(recipient: unknown): string | undefined {
  if (!isObject(recipient)) return undefined;
  if (recipient.type === 'slack.channel' && typeof recipient.name === 'string') return `the Slack channel ${recipient.name}`;
  if (recipient.type === 'slack.user') {
    const who = recipient.email ?? recipient.slack_id ?? recipient.user_id;
    return typeof who === 'string' ? who : undefined;
  }
  if (recipient.type === 'slack.fallback' && Array.isArray(recipient.recipients)) {
    const each = recipient.recipients.map(describe).filter((d): d is string => d !== undefined);
    return each.length ? each.join(', else ') : undefined;
  }
  return undefined;
}

/**
 * The recipients of a request's approval message as short phrases (deduplicated). An empty list
 * means the flow names no approvers, so any admin or member may decide.
 */
export function askedRecipients(notifications: AccessRequest['notifications']): string[] {
  const out = new Set<string>();
  for (const n of notifications?.notifications ?? []) {
    // A destination's shape depends on its recipient type, which the schema leaves open.
    for (const d of n.destinations) {
      const text = describe(d);
      if (text) out.add(text);
    }
  }
  return [...out];
}
