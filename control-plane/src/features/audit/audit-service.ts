import type { AuditEvent } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import { assertRole } from '../auth/roles';
import type { TokenIdentity } from '../auth/token-store';
import type { AuditCursor, AuditEventRecord, AuditFilter, AuditReader } from './audit-log';

/** An audit event as the API returns it: the `AuditEvent` schema's type. */
export type AuditEventResponse = AuditEvent;

/** Query of `GET /audit` after parsing: `actor` is an id or an email. */
export interface AuditQuery {
  type?: string;
  requestId?: string;
  entityId?: string;
  actor?: string;
  since?: Date;
  until?: Date;
  limit: number;
  /** `next_page_token` of the previous page. */
  pageToken?: string;
  /** Which query parameter carried it (`page_token`, or the older `cursor`), for the error pointer. */
  pageTokenParameter?: 'page_token' | 'cursor';
}

/** Reading the audit trail page by page (admins and members). */
export interface AuditService {
  list(actor: TokenIdentity, query: AuditQuery): Promise<{ data: AuditEventResponse[]; next_page_token: string | null }>;
}

/** The event as the API shows it. */
export function auditEventResponse(e: AuditEventRecord): AuditEventResponse {
  return {
    id: e.id,
    type: e.type,
    at: e.at.toISOString(),
    actor: { user_id: e.actorUserId, token_id: e.actorTokenId },
    entity_id: e.entityId,
    request_id: e.requestId,
    data: e.data,
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque page position: base64url of `<ISO time>|<id>` of the page's last event. */
export function encodeAuditCursor(c: AuditCursor): string {
  return Buffer.from(`${c.at.toISOString()}|${c.id}`, 'utf8').toString('base64url');
}

/** Parses a cursor from `encodeAuditCursor`; null when it is not one. */
export function decodeAuditCursor(text: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  const [at, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const time = new Date(at ?? '');
  if (rest.length > 0 || !id || !uuidPattern.test(id) || Number.isNaN(time.getTime()) || time.toISOString() !== at) return null;
  return { at: time, id: id.toLowerCase() };
}

/** Creates the audit service; `findUserIdByEmail` resolves `actor=<email>`. */
export function createAuditService({ reader, findUserIdByEmail }: { reader: Pick<AuditReader, 'query'>; findUserIdByEmail: (orgId: string, email: string) => Promise<string | null> }): AuditService {
  return {
    async list(actor, query) {
      assertRole(actor, ['admin', 'member'], 'read the audit trail');
      const after = query.pageToken === undefined ? undefined : decodeAuditCursor(query.pageToken);
      const parameter = query.pageTokenParameter ?? 'page_token';
      if (after === null)
        throw new ApiError('validation_failed', `${parameter}: is not a page token this API returned`, [{ pointer: `/${parameter}`, detail: 'is not a page token this API returned' }]);
      const filter: AuditFilter = { type: query.type, requestId: query.requestId, entityId: query.entityId, since: query.since, until: query.until };
      if (query.actor !== undefined) {
        if (query.actor.includes('@')) {
          const userId = await findUserIdByEmail(actor.org.id, query.actor.toLowerCase());
          // Nobody with that email has acted here.
          if (!userId) return { data: [], next_page_token: null };
          filter.actorId = userId;
        } else {
          filter.actorId = query.actor.toLowerCase();
        }
      }
      // One extra row tells whether another page exists without a count query.
      const rows = await reader.query(actor.org.id, filter, { limit: query.limit + 1, after });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return { data: page.map(auditEventResponse), next_page_token: rows.length > query.limit && last ? encodeAuditCursor(last) : null };
    },
  };
}
