/**
 * The one paging style of every list endpoint: `limit` and `page_token` in, `{"data": [...],
 * "next_page_token"}` out.
 */
import type { JsonSchema } from './entity-json-schema';

/** `limit` and `page_token` query parameters; `defaultNote` says what an absent `limit` means. */
export function pageParameters(defaultNote = 'default 50'): Record<string, unknown>[] {
  return [
    { name: 'limit', in: 'query', required: false, description: `Page size, 1 to 200 (${defaultNote}).`, schema: { type: 'integer', minimum: 1, maximum: 200 } },
    { name: 'page_token', in: 'query', required: false, description: '`next_page_token` of the previous page (opaque).', schema: { type: 'string' } },
  ];
}

/** The body of one page of `itemRef` items; `next_page_token` is null on the last page. */
export function pageSchema(itemRef: string): JsonSchema {
  return {
    type: 'object',
    properties: {
      data: { type: 'array', items: { $ref: itemRef } },
      next_page_token: { type: ['string', 'null'], description: 'Pass as `page_token` for the next page; null on the last page.' },
    },
    required: ['data', 'next_page_token'],
  };
}
