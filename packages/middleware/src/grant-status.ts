import type { AccessRequest } from '@opensym/api-client';

/** Without a duration field the control plane grants one hour; approval-only grants use the same. */
const DEFAULT_DURATION_SECONDS = 3600;

/** What a request means for the visitor's access right now. */
export type GrantStatus =
  | { kind: 'granted'; until: number }
  | { kind: 'pending' }
  | { kind: 'granting' }
  | { kind: 'denied'; reason: string | null }
  | { kind: 'ignored'; reason: string | null }
  | { kind: 'expired' }
  | { kind: 'ended' }
  | { kind: 'failed'; reason: string | null };

/**
 * Classifies a request at time `now` (epoch ms). Access is granted while a strategy flow's request
 * is `active` before `active_until`, or while an approval-only flow's request is `approved` (its
 * final state) for its duration after the decision (`updated_at`). A strategy flow's `approved`
 * request is still being granted; revoked or expired access (`deescalating`, `done`, ...) has ended.
 */
export function grantStatus(request: AccessRequest, hasStrategy: boolean, now: number): GrantStatus {
  switch (request.state) {
    case 'pending':
      return { kind: 'pending' };
    case 'approved': {
      if (hasStrategy) return { kind: 'granting' };
      const until = Date.parse(request.updated_at) + (request.duration_seconds ?? DEFAULT_DURATION_SECONDS) * 1000;
      return until > now ? { kind: 'granted', until } : { kind: 'ended' };
    }
    case 'active': {
      const until = request.active_until ? Date.parse(request.active_until) : Infinity;
      return until > now ? { kind: 'granted', until } : { kind: 'ended' };
    }
    case 'denied':
      return { kind: 'denied', reason: request.reason };
    case 'ignored':
      return { kind: 'ignored', reason: request.reason };
    case 'expired':
      return { kind: 'expired' };
    case 'failed':
      return { kind: 'failed', reason: request.last_error };
    default:
      return { kind: 'ended' };
  }
}

/** Whether a request answers this visit: requested by this subject, through this flow, for these fixed field values. */
export function requestMatches(request: AccessRequest, flow: string, subject: string, fields: Record<string, string>): boolean {
  const requester = subject.includes('@') ? request.requester.email.toLowerCase() === subject.toLowerCase() : request.requester.id === subject;
  if (!requester || request.flow.name.toLowerCase() !== flow.toLowerCase()) return false;
  const recorded = request.fields;
  return Object.entries(fields).every(([name, value]) => recorded[name] !== undefined && String(recorded[name]) === value);
}
