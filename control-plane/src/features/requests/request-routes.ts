import { Router, type Request, type Response } from 'express';
import { ApiError } from '../../errors/api-error';
import { identityOf } from '../auth/auth-middleware';
import { parseDecisionBody, parseRequestBody } from './request-body';
import type { RequestActor, RequestService } from './request-service';
import type { Idempotent } from '../idempotency/idempotency-middleware';

/**
 * `/events/request` and `/requests[...]`: validate, call the lifecycle service, answer. The
 * unsafe operations honour `Idempotency-Key` when `idempotent` is given.
 */
export function requestRoutes({ service, idempotent }: { service: RequestService; idempotent?: Idempotent }): Router {
  const router = Router();
  const once: Idempotent = idempotent ?? (() => (_req, _res, next) => next());
  const actorOf = (res: Response): RequestActor => {
    const identity = identityOf(res);
    return { orgId: identity.org.id, tokenId: identity.tokenId, role: identity.role, userId: identity.userId };
  };
  const one = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);
  const limitOf = (req: Request): number | undefined => {
    const text = one(req.query.limit);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > 200) throw new ApiError('validation_failed', 'limit must be an integer from 1 to 200.', [{ pointer: '/limit', detail: 'must be 1-200' }]);
    return n;
  };
  const id = (req: Request) => String(req.params.id);

  router.post('/events/request', once('POST /events/request'), async (req, res) => {
    const view = await service.request(actorOf(res), parseRequestBody(req.body));
    res.status(201).location(`${req.baseUrl}/requests/${view.id}`).json(view);
  });

  router.get('/requests', async (req, res) => {
    const page = await service.list(actorOf(res), {
      state: one(req.query.state),
      flow: one(req.query.flow),
      requester: one(req.query.requester),
      limit: limitOf(req),
      page_token: one(req.query.page_token),
    });
    res.json(page);
  });

  router.get('/requests/:id', async (req, res) => {
    res.json(await service.get(actorOf(res), id(req)));
  });

  router.post('/requests/:id/approve', once('POST /requests/:id/approve'), async (req, res) => {
    res.json(await service.approve(actorOf(res), id(req), parseDecisionBody(req.body)));
  });
  router.post('/requests/:id/deny', once('POST /requests/:id/deny'), async (req, res) => {
    res.json(await service.deny(actorOf(res), id(req), parseDecisionBody(req.body)));
  });
  router.post('/requests/:id/revoke', once('POST /requests/:id/revoke'), async (req, res) => {
    res.json(await service.revoke(actorOf(res), id(req), parseDecisionBody(req.body)));
  });
  return router;
}
