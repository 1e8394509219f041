import { Router } from 'express';
import { identityOf } from './auth-middleware';

/** `GET /whoami`: the token's organization and role (the provider checks it at configure time). */
export function authRoutes(): Router {
  const router = Router();
  router.get('/whoami', (_req, res) => {
    const identity = identityOf(res);
    res.json({ org: identity.org, token: { id: identity.tokenId, role: identity.role } });
  });
  return router;
}
