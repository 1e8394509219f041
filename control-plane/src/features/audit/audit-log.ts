import type { Prisma, PrismaClient } from '../../generated/prisma/client';

/** Something that happened, recorded for the audit trail. */
export interface AuditEventInput {
  orgId: string;
  /** Dotted name, e.g. `entity.created`. */
  type: string;
  actorTokenId: string | null;
  entityId: string | null;
  data: Record<string, unknown>;
}

/** Where services send audit events. */
export interface AuditLog {
  record(event: AuditEventInput): Promise<void>;
}

/** The Prisma-backed audit log (table AuditEvent). */
export function createAuditLog(prisma: PrismaClient): AuditLog & { list(orgId: string): Promise<AuditEventInput[]> } {
  return {
    async record(event) {
      await prisma.auditEvent.create({ data: { ...event, data: event.data as Prisma.InputJsonValue } });
    },
    async list(orgId) {
      const rows = await prisma.auditEvent.findMany({ where: { orgId }, orderBy: { at: 'asc' } });
      return rows.map((r) => ({ orgId: r.orgId, type: r.type, actorTokenId: r.actorTokenId, entityId: r.entityId, data: r.data as Record<string, unknown> }));
    },
  };
}

/** In-memory AuditLog for unit tests. */
export function createFakeAuditLog(): AuditLog & { events: AuditEventInput[] } {
  const events: AuditEventInput[] = [];
  return {
    events,
    async record(event) {
      events.push(structuredClone(event));
    },
  };
}
