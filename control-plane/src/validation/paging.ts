import type { Request } from 'express';
import { ApiError, type FieldError } from '../errors/api-error';

/**
 * One paging style for every list: `limit` (1-200) and `page_token` in, `{"data": [...],
 * "next_page_token": string | null}` out. Lists are ordered by (creation time, id); a page token
 * is the position of the previous page's last item, opaque to clients.
 */

/** Largest page any list returns; a bigger `limit` is refused rather than silently cut. */
export const maxPageSize = 200;
/** Page size when `limit` is absent. */
export const defaultPageSize = 50;

/** Where a page starts: after the item with this creation time and id. */
export interface PagePosition {
  at: Date;
  id: string;
}

/** A list request's paging: how many items, and after which one. */
export interface PageRequest {
  limit: number;
  after?: PagePosition;
}

/** One page of a list as the API answers it. */
export interface Page<T> {
  data: T[];
  next_page_token: string | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque page token: base64url of `<ISO time>|<id>` of the previous page's last item. */
export function encodePageToken(p: PagePosition): string {
  return Buffer.from(`${p.at.toISOString()}|${p.id}`, 'utf8').toString('base64url');
}

/** Parses a token from `encodePageToken`; null when it is not one. */
export function decodePageToken(text: string): PagePosition | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  const [at, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const time = new Date(at ?? '');
  if (rest.length > 0 || !id || !uuidPattern.test(id) || Number.isNaN(time.getTime()) || time.toISOString() !== at) return null;
  return { at: time, id: id.toLowerCase() };
}

/**
 * Reads `limit` and `page_token` from a query; each bad one is a field error (pointer
 * `/<parameter>`), thrown together as one 422. `defaultLimit` applies when `limit` is absent.
 */
export function parsePageRequest(query: Request['query'], { defaultLimit = defaultPageSize, tokenName = 'page_token' }: { defaultLimit?: number; tokenName?: string } = {}): PageRequest {
  const errors: FieldError[] = [];
  const one = (name: string): string | undefined => {
    const v = query[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      errors.push({ pointer: `/${name}`, detail: 'must be given once' });
      return undefined;
    }
    return v;
  };
  const limitText = one('limit');
  let limit = defaultLimit;
  if (limitText !== undefined) {
    limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > maxPageSize) errors.push({ pointer: '/limit', detail: `must be an integer from 1 to ${maxPageSize}` });
  }
  const tokenText = one(tokenName);
  let after: PagePosition | undefined;
  if (tokenText !== undefined) {
    after = decodePageToken(tokenText) ?? undefined;
    if (!after) errors.push({ pointer: `/${tokenName}`, detail: 'is not a page token this API returned' });
  }
  if (errors.length > 0) throw new ApiError('validation_failed', errors.map((e) => `${e.pointer.slice(1)}: ${e.detail}`).join('; '), errors);
  return { limit, ...(after && { after }) };
}

/**
 * Cuts rows fetched with `limit + 1` (the extra row tells whether another page exists, without a
 * count query) into a page, with the token of its last item when more follow.
 */
export function toPage<R, T>(rows: readonly R[], limit: number, positionOf: (row: R) => PagePosition, shape: (row: R) => T): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { data: page.map(shape), next_page_token: rows.length > limit && last ? encodePageToken(positionOf(last)) : null };
}

/** Whether a row comes after `after` in (creation time, id) order: for fake stores. */
export function isAfter(row: { createdAt: Date; id: string }, after: PagePosition | undefined): boolean {
  if (!after) return true;
  const t = row.createdAt.getTime() - after.at.getTime();
  return t > 0 || (t === 0 && row.id > after.id);
}
