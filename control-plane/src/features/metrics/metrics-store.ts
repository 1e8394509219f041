import type { PrismaClient } from '../../generated/prisma/client';

/** Access requests per state across organizations: one grouped count, for the metrics scrape. */
export function createRequestStateCounter(prisma: PrismaClient): () => Promise<{ state: string; count: number }[]> {
  return async () => {
    const rows = await prisma.accessRequest.groupBy({ by: ['state'], _count: { _all: true } });
    return rows.map((r) => ({ state: r.state, count: r._count._all }));
  };
}
