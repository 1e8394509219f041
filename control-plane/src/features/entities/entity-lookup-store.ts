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

/** Integrations found across organizations by their `external_id` (Slack finds a workspace's organizations by team id). */
export interface IntegrationDirectory {
  /** Integrations of `type` whose `external_id` is `externalId`, in any organization (at most 100). */
  findByExternalId(type: string, externalId: string): Promise<(EntityRecord & { orgId: string })[]>;
  /** Integrations of `type` in any organization (at most 100; Slack's URL verification names no team). */
  findAllOfType(type: string): Promise<(EntityRecord & { orgId: string })[]>;
  /** Integrations of `type` in `orgId`. */
  listOfOrg(orgId: string, type: string): Promise<EntityRecord[]>;
}

/** The Prisma-backed directory. */
export function createIntegrationDirectory(prisma: PrismaClient): IntegrationDirectory {
  const withOrg = (row: { id: string; orgId: string; kind: string; type: string | null; name: string | null; data: unknown }) => ({ ...entity(row), orgId: row.orgId });
  return {
    async findByExternalId(type, externalId) {
      const rows = await prisma.entity.findMany({ where: { kind: 'integrations', type, data: { path: ['external_id'], equals: externalId } }, orderBy: { createdAt: 'asc' }, take: 100 });
      return rows.map(withOrg);
    },
    async findAllOfType(type) {
      const rows = await prisma.entity.findMany({ where: { kind: 'integrations', type }, orderBy: { createdAt: 'asc' }, take: 100 });
      return rows.map(withOrg);
    },
    async listOfOrg(orgId, type) {
      const rows = await prisma.entity.findMany({ where: { orgId, kind: 'integrations', type }, orderBy: { createdAt: 'asc' } });
      return rows.map(entity);
    },
  };
}
