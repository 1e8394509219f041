import { Router } from 'express';
import { identityOf } from './auth-middleware';
import type { TokenIdentity } from './token-store';

/** `GET /whoami`: the token's organization and role (the provider checks it at configure time), and its user if any. */
export function authRoutes({ userOf }: { userOf?: (identity: TokenIdentity) => Promise<object | null> } = {}): Router {
  const router = Router();
  router.get('/whoami', async (_req, res) => {
    const identity = identityOf(res);
    const user = userOf ? await userOf(identity) : null;
    res.json({ org: identity.org, token: { id: identity.tokenId, role: identity.role, user_id: identity.userId }, user });
  });
  return router;
}
