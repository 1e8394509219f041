/** Parsing `terraform import` IDs: an entity id, or the resource's natural key (`spec.identity`). */
import { normalizeSlug, type Identity } from '@opensym/schemas';

/** How to find the entity an import ID names. */
export type ImportLookup = { by: 'id'; id: string } | { by: 'slug'; slug: string; type?: string } | { by: 'singleton' } | { by: 'invalid'; detail: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when the string has the shape of an entity id. */
export function isEntityId(s: string): boolean {
  return UUID.test(s);
}

/** Decides how an import ID is looked up for a resource with this identity. */
export function parseImportId(identity: Identity, raw: string): ImportLookup {
  const id = raw.trim();
  if (id === '') return { by: 'invalid', detail: 'The import ID is empty.' };
  if (isEntityId(id)) return { by: 'id', id };
  switch (identity.by) {
    case 'name':
      return { by: 'slug', slug: id };
    case 'path':
      return { by: 'slug', slug: id };
    case 'type_name': {
      const colon = id.indexOf(':');
      if (colon <= 0 || colon === id.length - 1) {
        return { by: 'invalid', detail: `Expected an id or "type:name" (for example "slack:my-slack"), got "${id}".` };
      }
      return { by: 'slug', type: id.slice(0, colon), slug: id.slice(colon + 1) };
    }
    case 'slug': {
      if (!identity.typed) return { by: 'slug', slug: normalizeSlug(id) };
      const colon = id.indexOf(':');
      if (colon <= 0 || colon === id.length - 1) {
        return { by: 'invalid', detail: `Expected an id or "type:slug" (for example "kinesis_firehose:my-stream"), got "${id}".` };
      }
      return { by: 'slug', type: id.slice(0, colon), slug: normalizeSlug(id.slice(colon + 1)) };
    }
    case 'singleton':
      return { by: 'singleton' };
    default:
      return { by: 'invalid', detail: `This resource imports by id only (a UUID), got "${id}".` };
  }
}
