/**
 * Where a pending request's approval message goes: the flow's `get_request_notifications`
 * reducer decides when it is exported; otherwise the approvers (`get_approvers` /
 * `get_approver` recipients) get it. This module only resolves and checks the destinations;
 * delivery to Slack belongs to the Slack integration.
 */
import type { AccessRequest, JsonValue } from '@opensym/schemas';

/**
 * What is stored on `request.created` and shown as the request's `notifications`: `source` is
 * `get_request_notifications`, or `default` (the approvers' recipients). The schema's type.
 */
export type ResolvedNotifications = NonNullable<AccessRequest['notifications']>;

type Obj = { [key: string]: JsonValue };
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRecipient = (v: unknown): v is Obj => isObject(v) && typeof v.type === 'string' && v.type.startsWith('slack.');

/**
 * Checks the reducer's result: a list of `notifications.Notification(...)` (a single one is
 * accepted too). Throws a TypeError naming what is wrong, so the caller can record it.
 */
export function parseRequestNotifications(value: JsonValue | undefined): ResolvedNotifications['notifications'] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((item, index) => {
    if (!isObject(item) || !Array.isArray(item.destinations)) {
      throw new TypeError(`get_request_notifications: item ${index} is not a Notification (use notifications.Notification({ destinations }))`);
    }
    const bad = item.destinations.findIndex((d) => !isRecipient(d));
    if (bad >= 0) throw new TypeError(`get_request_notifications: destination ${bad} of item ${index} is not a Slack recipient (slack.user / slack.channel / slack.fallback)`);
    return { destinations: item.destinations.filter(isRecipient) };
  });
}

/** The default: one notification to the approvers' recipients (none when the flow names no approvers). */
export function defaultNotifications(approvers: JsonValue | undefined): ResolvedNotifications {
  const list = Array.isArray(approvers) ? approvers.flat() : approvers === undefined || approvers === null ? [] : [approvers];
  const destinations: Obj[] = list.flatMap((r): Obj[] => {
    if (isRecipient(r)) return [r];
    // Reducers may return plain emails, Slack IDs or user objects; show them as slack.user.
    if (typeof r === 'string') return [r.includes('@') ? { type: 'slack.user', email: r } : { type: 'slack.user', slack_id: r }];
    if (isObject(r) && (typeof r.id === 'string' || typeof r.email === 'string')) {
      return [{ type: 'slack.user', ...(typeof r.id === 'string' && { user_id: r.id }), ...(typeof r.email === 'string' && { email: r.email }) }];
    }
    return [];
  });
  return { source: 'default', notifications: [{ destinations }] };
}

/** Reads the resolved notifications back from a `request.created` event's data (null when none were resolved). */
export function notificationsOf(data: Record<string, JsonValue> | undefined): ResolvedNotifications | null {
  const n = data?.notifications;
  if (!isObject(n) || (n.source !== 'get_request_notifications' && n.source !== 'default') || !Array.isArray(n.notifications)) return null;
  return n as unknown as ResolvedNotifications;
}
