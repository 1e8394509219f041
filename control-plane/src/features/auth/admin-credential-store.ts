/**
 * An organization must keep a way to administer it. Its **admin credentials** are the API tokens
 * whose effective role is admin: bot tokens with role `admin`, and user tokens whose user has role
 * `admin` (a user token carries its user's current role). An admin user without a token is not
 * one: nobody could act as them without another admin issuing a token first.
 *
 * Changes that can take credentials away (revoking a token, demoting or deleting a user) run
 * through {@link keepingAnAdmin}: inside one transaction that holds the organization's row lock,
 * so two admins demoting each other at once are serialized and the second sees the first's change.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client';

/** Thrown inside the transaction to roll it back; never leaves this module. */
class WouldLeaveNoAdmin extends Error {}

/** How many admin credentials the organization has, as seen inside `tx`. */
export async function countAdminCredentials(tx: Prisma.TransactionClient | PrismaClient, orgId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS "n"
    FROM "ApiToken" t
    LEFT JOIN "User" u ON u."id" = t."userId"
    WHERE t."orgId" = ${orgId}::uuid AND coalesce(u."role", t."role") = 'admin'`;
  return Number(rows[0]?.n ?? 0);
}

/**
 * Runs `change` in a transaction holding the organization's row lock (`FOR UPDATE`) and commits
 * it only if the organization still has an admin credential afterwards; otherwise rolls it back
 * and answers `last_admin`. Errors of `change` roll back and propagate.
 */
export async function keepingAnAdmin<T>(
  prisma: PrismaClient,
  orgId: string,
  change: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; reason: 'last_admin' }> {
  try {
    const value = await prisma.$transaction(async (tx) => {
      // Every guarded change of this organization queues here, whichever connection it runs on.
      await tx.$queryRaw`SELECT 1 FROM "Organization" WHERE "id" = ${orgId}::uuid FOR UPDATE`;
      const result = await change(tx);
      if ((await countAdminCredentials(tx, orgId)) === 0) throw new WouldLeaveNoAdmin();
      return result;
    });
    return { ok: true, value };
  } catch (err) {
    if (err instanceof WouldLeaveNoAdmin) return { ok: false, reason: 'last_admin' };
    throw err;
  }
}
