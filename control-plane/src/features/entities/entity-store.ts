import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { EntityData } from './entity-shape';
import type { PagePosition } from '../../validation/paging';

/** An entity row as the service sees it. */
export interface EntityRecord {
  id: string;
  orgId: string;
  kind: string;
  type: string | null;
  name: string | null;
  slug: string | null;
  naturalKey: string;
  data: EntityData;
  createdAt: Date;
  updatedAt: Date;
}

/** What to write for one entity: its columns, attributes and the ids it refers to. */
export interface EntityWrite {
  id: string;
  orgId: string;
  kind: string;
  type: string | null;
  name: string | null;
  slug: string | null;
  naturalKey: string;
  data: EntityData;
  references: { pointer: string; toId: string }[];
}

/** Why a write was refused by the database's own constraints (a race the service's checks lost). */
export type WriteOutcome = { ok: true; entity: EntityRecord } | { ok: false; reason: 'duplicate' | 'missing_reference' | 'not_found' };

/** An entity that refers to another, for `still_referenced` details. */
export interface Referrer {
  id: string;
  kind: string;
  name: string | null;
}

/** Persistence of entities and their references; the only entity code that touches Prisma. */
export interface EntityStore {
  findById(orgId: string, kind: string, id: string): Promise<EntityRecord | null>;
  findByNaturalKey(orgId: string, kind: string, naturalKey: string): Promise<EntityRecord | null>;
  list(orgId: string, kind: string, filter: EntityListFilter): Promise<EntityRecord[]>;
  /** The kinds of those `ids` that exist in `orgId` (ids in other orgs are absent). */
  kindsOf(orgId: string, ids: string[]): Promise<Map<string, string>>;
  referrers(id: string): Promise<Referrer[]>;
  create(write: EntityWrite): Promise<WriteOutcome>;
  update(write: EntityWrite): Promise<WriteOutcome>;
  /**
   * Deletes the entity, after writing `detach` (its referrers with the reference to it cleared),
   * all in one transaction; `referenced` when other entities still point at it (foreign key).
   */
  delete(orgId: string, id: string, detach?: EntityWrite[]): Promise<{ ok: true } | { ok: false; reason: 'referenced' | 'not_found' }>;
}

type Row = Prisma.EntityGetPayload<object>;

function toRecord(row: Row): EntityRecord {
  return { ...row, data: row.data as EntityData };
}

function constraintFailure(err: unknown): 'duplicate' | 'missing_reference' | 'not_found' | undefined {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  if (err.code === 'P2002') return 'duplicate';
  if (err.code === 'P2003') return 'missing_reference';
  if (err.code === 'P2025') return 'not_found';
  return undefined;
}

/** Filters of `GET /entities/<kind>`; `ids` are lowercased UUIDs; `after` and `take` page it. */
export interface EntityListFilter {
  slug?: string;
  type?: string;
  ids?: string[];
  /** Only entities after this one in (creation time, id) order. */
  after?: PagePosition;
  /** At most this many. */
  take?: number;
}

/** The Prisma-backed entity store. */

export function createEntityStore(prisma: PrismaClient): EntityStore {
  const refRows = (w: EntityWrite) => w.references.map((r) => ({ fromId: w.id, toId: r.toId, path: r.pointer }));
  return {
    async findById(orgId, kind, id) {
      const row = await prisma.entity.findFirst({ where: { id, orgId, kind } });
      return row && toRecord(row);
    },
    async findByNaturalKey(orgId, kind, naturalKey) {
      const row = await prisma.entity.findUnique({ where: { orgId_kind_naturalKey: { orgId, kind, naturalKey } } });
      return row && toRecord(row);
    },
    async list(orgId, kind, filter) {
      const rows = await prisma.entity.findMany({
        where: {
          orgId,
          kind,
          ...(filter.slug !== undefined && { slug: filter.slug.toLowerCase() }),
          ...(filter.type !== undefined && { type: filter.type }),
          ...(filter.ids !== undefined && { id: { in: filter.ids } }),
          ...(filter.after && { OR: [{ createdAt: { gt: filter.after.at } }, { createdAt: filter.after.at, id: { gt: filter.after.id } }] }),
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        ...(filter.take !== undefined && { take: filter.take }),
      });
      return rows.map(toRecord);
    },
    async kindsOf(orgId, ids) {
      if (ids.length === 0) return new Map();
      const rows = await prisma.entity.findMany({ where: { orgId, id: { in: ids } }, select: { id: true, kind: true } });
      return new Map(rows.map((r) => [r.id, r.kind]));
    },
    async referrers(id) {
      const rows = await prisma.entityReference.findMany({
        where: { toId: id },
        select: { from: { select: { id: true, kind: true, name: true } } },
        orderBy: { path: 'asc' },
      });
      const unique = new Map(rows.map((r) => [r.from.id, r.from]));
      return [...unique.values()];
    },
    async create(w) {
      try {
        const [row] = await prisma.$transaction([
          prisma.entity.create({
            data: { id: w.id, orgId: w.orgId, kind: w.kind, type: w.type, name: w.name, slug: w.slug, naturalKey: w.naturalKey, data: w.data as Prisma.InputJsonValue },
          }),
          prisma.entityReference.createMany({ data: refRows(w) }),
        ]);
        return { ok: true, entity: toRecord(row) };
      } catch (err) {
        const reason = constraintFailure(err);
        if (reason) return { ok: false, reason };
        throw err;
      }
    },
    async update(w) {
      try {
        const [row] = await prisma.$transaction([
          prisma.entity.update({
            where: { id: w.id, orgId: w.orgId },
            data: { type: w.type, name: w.name, slug: w.slug, naturalKey: w.naturalKey, data: w.data as Prisma.InputJsonValue },
          }),
          prisma.entityReference.deleteMany({ where: { fromId: w.id } }),
          prisma.entityReference.createMany({ data: refRows(w) }),
        ]);
        return { ok: true, entity: toRecord(row) };
      } catch (err) {
        const reason = constraintFailure(err);
        if (reason) return { ok: false, reason };
        throw err;
      }
    },
    async delete(orgId, id, detach = []) {
      try {
        const results = await prisma.$transaction([
          ...detach.flatMap((w) => [
            prisma.entity.update({
              where: { id: w.id, orgId: w.orgId },
              data: { type: w.type, name: w.name, slug: w.slug, naturalKey: w.naturalKey, data: w.data as Prisma.InputJsonValue },
            }),
            prisma.entityReference.deleteMany({ where: { fromId: w.id } }),
            prisma.entityReference.createMany({ data: refRows(w) }),
          ]),
          prisma.entity.deleteMany({ where: { id, orgId } }),
        ]);
        const { count } = results[results.length - 1] as { count: number };
        return count === 0 ? { ok: false, reason: 'not_found' } : { ok: true };
      } catch (err) {
        const reason = constraintFailure(err);
        if (reason === 'missing_reference') return { ok: false, reason: 'referenced' };
        throw err;
      }
    },
  };
}
