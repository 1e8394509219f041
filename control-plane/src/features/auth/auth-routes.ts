import type { Router } from 'express';
import type { User, Whoami } from '@opensym/schemas';
import { operationRouter, type OperationIndex } from '../../http/operations';
import { identityOf } from './auth-middleware';
import type { TokenIdentity } from './token-store';

/** `GET /whoami`: the token's organization and role (the provider checks it at configure time), and its user if any. */
export function authRoutes({ operations, userOf }: { operations: OperationIndex; userOf?: (identity: TokenIdentity) => Promise<User | null> }): Router {
  const { router, handle } = operationRouter(operations);
  handle('whoami', async (_req, res) => {
    const identity = identityOf(res);
    const user = userOf ? await userOf(identity) : null;
    const body: Whoami = { org: identity.org, token: { id: identity.tokenId, role: identity.role, user_id: identity.userId }, user };
    res.json(body);
  });
  return router;
}
