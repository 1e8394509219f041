/**
 * The narrow read of entities other features use (the request lifecycle finds flows, strategies
 * and targets through it), so no feature but this one queries the Entity table.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { EntityRecord } from '../../shared/entity-record';

/** Finding entities by id or name, as the request lifecycle needs them. */
export interface EntityLookup {
  /** A flow by id or (case-insensitive) name. */
  findFlow(orgId: string, ref: string): Promise<(EntityRecord & { updatedAt: Date }) | null>;
  /** An entity of `kind` by id, or by name when `byName` (targets are chosen by either). */
  findEntity(orgId: string, kind: string, ref: string, byName?: boolean): Promise<EntityRecord | null>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const entity = (row: { id: string; kind: string; type: string | null; name: string | null; data: unknown }): EntityRecord => ({
  id: row.id,
  kind: row.kind,
  type: row.type,
  name: row.name,
  data: row.data as Record<string, unknown>,
});

/** The Prisma-backed lookup. */
export function createEntityLookup(prisma: PrismaClient): EntityLookup {
  return {
    async findFlow(orgId, ref) {
      const row = uuidPattern.test(ref)
        ? await prisma.entity.findFirst({ where: { orgId, kind: 'flows', id: ref.toLowerCase() } })
        : await prisma.entity.findFirst({ where: { orgId, kind: 'flows', slug: ref.toLowerCase() } });
      return row && { ...entity(row), updatedAt: row.updatedAt };
    },
    async findEntity(orgId, kind, ref, byName = false) {
      if (uuidPattern.test(ref)) {
        const row = await prisma.entity.findFirst({ where: { orgId, kind, id: ref.toLowerCase() } });
        if (row || !byName) return row && entity(row);
      }
      if (!byName) return null;
      const row = await prisma.entity.findFirst({ where: { orgId, kind, slug: ref.toLowerCase() }, orderBy: { createdAt: 'asc' } });
      return row && entity(row);
    },
  };
}
