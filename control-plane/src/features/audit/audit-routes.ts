import type { Request, Router } from 'express';
import { operationRouter, type OperationIndex } from '../../http/operations';
import type { FieldError } from '../../errors/api-error';
import { invalid } from '../../validation/json-body';
import { identityOf } from '../auth/auth-middleware';
import type { AuditQuery, AuditService } from './audit-service';

/** Largest page `GET /audit` returns; bigger `limit`s are refused rather than silently cut. */
export const maxAuditPageSize = 200;
const defaultAuditPageSize = 50;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Dotted names of letters, digits, `_` and `-`, optionally ending in `.*` for a prefix.
const typePattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(\.\*)?$/;
// RFC 3339 date-time with an explicit offset, so "since" means the same instant for every client.
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** Parses and checks the query; every bad parameter is one field error (pointer = `/<parameter>`). */
export function parseAuditQuery(req: Request): AuditQuery {
  const errors: FieldError[] = [];
  const text = (name: string): string | undefined => {
    const v = req.query[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      errors.push({ pointer: `/${name}`, detail: 'must be given once' });
      return undefined;
    }
    if (v.includes('\u0000') || v.length > 500) {
      errors.push({ pointer: `/${name}`, detail: 'is not a valid value' });
      return undefined;
    }
    return v;
  };
  const uuid = (name: string) => {
    const v = text(name);
    if (v !== undefined && !uuidPattern.test(v)) errors.push({ pointer: `/${name}`, detail: 'must be a UUID' });
    return v?.toLowerCase();
  };
  const time = (name: string) => {
    const v = text(name);
    if (v === undefined) return undefined;
    const t = new Date(v);
    if (!rfc3339.test(v) || Number.isNaN(t.getTime())) {
      errors.push({ pointer: `/${name}`, detail: 'must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z' });
      return undefined;
    }
    return t;
  };
  const limitText = text('limit');
  let limit = defaultAuditPageSize;
  if (limitText !== undefined) {
    limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > maxAuditPageSize) errors.push({ pointer: '/limit', detail: `must be an integer from 1 to ${maxAuditPageSize}` });
  }
  const actor = text('actor');
  if (actor !== undefined && !actor.includes('@') && !uuidPattern.test(actor)) errors.push({ pointer: '/actor', detail: 'must be a user id, a token id or an email' });
  const type = text('type');
  if (type !== undefined && !typePattern.test(type)) errors.push({ pointer: '/type', detail: 'must be an event type such as request.approved, or a prefix such as request.*' });
  const query: AuditQuery = {
    type,
    requestId: uuid('request_id'),
    entityId: uuid('entity_id'),
    actor,
    since: time('since'),
    until: time('until'),
    limit,
  };
  // `cursor` is the parameter's name before every list paged with `page_token`; still accepted.
  const pageToken = text('page_token');
  const cursor = text('cursor');
  if (pageToken !== undefined && cursor !== undefined) errors.push({ pointer: '/cursor', detail: 'give page_token or cursor, not both' });
  if (pageToken !== undefined) Object.assign(query, { pageToken, pageTokenParameter: 'page_token' });
  else if (cursor !== undefined) Object.assign(query, { pageToken: cursor, pageTokenParameter: 'cursor' });
  const known = new Set(['type', 'request_id', 'entity_id', 'actor', 'since', 'until', 'limit', 'page_token', 'cursor']);
  for (const name of Object.keys(req.query)) if (!known.has(name)) errors.push({ pointer: `/${name}`, detail: 'is not a known query parameter' });
  if (errors.length > 0) throw invalid(errors);
  return query;
}

/** `GET /audit`: newest first, filtered, paged with `limit` and `page_token` → `next_page_token`. */
export function auditRoutes({ operations, service }: { operations: OperationIndex; service: AuditService }): Router {
  const { router, handle } = operationRouter(operations);
  handle('list-audit-events', async (req, res) => {
    res.json(await service.list(identityOf(res), parseAuditQuery(req)));
  });
  return router;
}
