/** Looking entities up by natural key, shared by import and data sources. */
import type { EntityKind } from '@opensym/schemas';
import type { ApiEntity, EntityApi } from '../client/api-client';
import { DiagnosticsError, errorDiagnostic } from '../framework/diagnostics';
import { parseImportId } from '../framework/import-id';
import { derivedSlug, type Identity } from '@opensym/schemas';

/** Finds the entity an import ID names, or throws a "Cannot import" diagnostic. */
export async function findForImport(api: EntityApi, typeName: string, kind: EntityKind, identity: Identity, id: string): Promise<ApiEntity> {
  const lookup = parseImportId(identity, id);
  const notFound = (what: string) => new DiagnosticsError([errorDiagnostic('Cannot import', `Cannot import: no ${typeName} ${what} exists in this organization.`)]);
  switch (lookup.by) {
    case 'invalid':
      throw new DiagnosticsError([errorDiagnostic('Invalid import ID', lookup.detail)]);
    case 'id': {
      const e = await api.get(kind, lookup.id);
      if (!e) throw notFound(`with id "${lookup.id}"`);
      return e;
    }
    case 'singleton': {
      const all = await api.list(kind);
      if (all.length === 0) throw notFound('(the organization has none)');
      return all[0];
    }
    case 'slug': {
      const matches = (await api.list(kind, { slug: lookup.slug, ...(lookup.type ? { type: lookup.type } : {}) })).filter(
        (e) => slugOf(kind, e, identity)?.toLowerCase() === lookup.slug.toLowerCase() && (lookup.type === undefined || e.type === lookup.type),
      );
      const noun = identity.by === 'slug' ? 'with slug' : 'named';
      const what = identity.by === 'path' ? `with path "${lookup.slug}"` : lookup.type ? `of type "${lookup.type}" ${noun} "${lookup.slug}"` : `${noun} "${lookup.slug}"`;
      if (matches.length === 0) throw notFound(what);
      if (matches.length > 1) {
        throw new DiagnosticsError([
          errorDiagnostic('Ambiguous import ID', `More than one ${typeName} is ${what.replace(/^with /, 'with ')}; import by id instead: ${matches.map((m) => m.id).join(', ')}.`),
        ]);
      }
      return matches[0];
    }
  }
}

/** The natural key an entity is listed by (`?slug=`): its path for secrets, a derived slug (`identity.by === 'slug'`), else its name. */
export function slugOf(kind: string, e: ApiEntity, identity?: Identity): string | undefined {
  if (identity?.by === 'slug') return derivedSlug(identity, e) ?? undefined;
  const v = kind === 'secrets' ? e.path : e.name;
  return typeof v === 'string' ? v : undefined;
}
