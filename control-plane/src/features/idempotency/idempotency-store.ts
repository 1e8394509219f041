import type { PrismaClient } from '../../generated/prisma/client';
import { Prisma } from '../../generated/prisma/client';

/** Whose key it is and for what: keys of different tokens or operations never meet. */
export interface IdempotencyScope {
  orgId: string;
  tokenId: string;
  /** The route, such as `POST /requests/:id/approve`. */
  operation: string;
  key: string;
}

/** A stored first answer. */
export interface StoredAnswer {
  status: number;
  body: unknown;
  location: string | null;
}

/** What `begin` found: go ahead (this request is now the first), or an earlier one decides. */
export type BeginOutcome = { kind: 'started' } | { kind: 'replay'; answer: StoredAnswer } | { kind: 'mismatch' } | { kind: 'in_flight' };

/** Durable idempotency keys (table `IdempotencyKey`). */
export interface IdempotencyStore {
  /**
   * Claims the key for a request with this fingerprint, unless a live claim exists. An expired
   * key, or an unanswered one whose lock ran out (its process died), is claimed afresh.
   */
  begin(scope: IdempotencyScope, fingerprint: string, times: { now: Date; lockedUntil: Date; expiresAt: Date }): Promise<BeginOutcome>;
  /** Records the answer of the request that claimed the key. */
  finish(scope: IdempotencyScope, answer: StoredAnswer): Promise<void>;
  /** Drops an unanswered claim (the request failed with a 5xx: a retry should run again). */
  release(scope: IdempotencyScope): Promise<void>;
  /** Deletes keys past their expiry; returns how many. */
  prune(now: Date): Promise<number>;
}

/** The Prisma-backed store. */
export function createIdempotencyStore(prisma: PrismaClient): IdempotencyStore {
  const where = (s: IdempotencyScope) => ({ orgId_tokenId_operation_key: { orgId: s.orgId, tokenId: s.tokenId, operation: s.operation, key: s.key } });
  return {
    async begin(scope, fingerprint, { now, lockedUntil, expiresAt }) {
      // A unique-violation on create means someone holds the key; a conditional update then takes
      // over only a dead claim (expired, or unanswered past its lock), so two takers cannot both win.
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await prisma.idempotencyKey.create({ data: { ...scope, fingerprint, lockedUntil, expiresAt } });
          return { kind: 'started' };
        } catch (err) {
          if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')) throw err;
        }
        const taken = await prisma.idempotencyKey.updateMany({
          where: { ...scope, OR: [{ expiresAt: { lte: now } }, { responseStatus: null, lockedUntil: { lte: now } }] },
          data: { fingerprint, responseStatus: null, responseBody: Prisma.DbNull, location: null, lockedUntil, expiresAt, createdAt: now },
        });
        if (taken.count === 1) return { kind: 'started' };
        const row = await prisma.idempotencyKey.findUnique({ where: where(scope) });
        if (!row) continue; // pruned or released meanwhile: claim it again
        if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
        if (row.responseStatus === null) return { kind: 'in_flight' };
        return { kind: 'replay', answer: { status: row.responseStatus, body: row.responseBody, location: row.location } };
      }
      return { kind: 'in_flight' };
    },
    async finish(scope, answer) {
      await prisma.idempotencyKey.updateMany({
        where: { ...scope, responseStatus: null },
        data: { responseStatus: answer.status, responseBody: answer.body === null || answer.body === undefined ? Prisma.DbNull : (answer.body as Prisma.InputJsonValue), location: answer.location },
      });
    },
    async release(scope) {
      await prisma.idempotencyKey.deleteMany({ where: { ...scope, responseStatus: null } });
    },
    async prune(now) {
      return (await prisma.idempotencyKey.deleteMany({ where: { expiresAt: { lte: now } } })).count;
    },
  };
}
