import type { Router } from 'express';
import { implementationLanguage, type ImplementationCheckResult } from '@opensym/schemas';
import { operationRouter, type OperationIndex } from '../../http/operations';
import { identityOf } from '../auth/auth-middleware';
import { assertRole } from '../auth/roles';
import type { CheckSource } from './entity-validator';

/**
 * `POST /implementation-checks`: the check storing an implementation runs (`sandbox.check`:
 * parse, imports, hook names; nothing executed), answered as data so the provider can report it
 * at plan time on the attribute, before anything is applied. Admins and members (a plan may run
 * with a member's token); guests have no use for it.
 */
export function implementationCheckRoutes({ operations, checkSource }: { operations: OperationIndex; checkSource: CheckSource }): Router {
  const { router, handle } = operationRouter(operations);
  handle('check-implementation', async (_req, res, body) => {
    assertRole(identityOf(res), ['admin', 'member'], 'check implementations');
    const problems = await checkSource(body.source, { kind: body.kind, ...(body.filename !== undefined && { filename: body.filename }) });
    const answer: ImplementationCheckResult = { language: implementationLanguage(body.source, body.filename), problems };
    res.json(answer);
  });
  return router;
}
