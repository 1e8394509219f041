import type { Request, Response, Router } from 'express';
import { ApiError } from '../../errors/api-error';
import { operationRouter, type OperationIndex } from '../../http/operations';
import { identityOf } from '../auth/auth-middleware';
import type { RequestActor, RequestService } from './request-service';
import type { Idempotent } from '../idempotency/idempotency-middleware';

/**
 * `/events/request` and `/requests[...]`: validate, call the lifecycle service, answer. The
 * unsafe operations honour `Idempotency-Key` when `idempotent` is given.
 */
export function requestRoutes({ operations, service, idempotent }: { operations: OperationIndex; service: RequestService; idempotent?: Idempotent }): Router {
  const { router, handle } = operationRouter(operations);
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

  handle(
    'create-request',
    async (req, res, body) => {
      const view = await service.request(actorOf(res), body);
      res.status(201).location(`${req.baseUrl}/requests/${view.id}`).json(view);
    },
    { before: [once('POST /events/request')] },
  );

  handle('list-requests', async (req, res) => {
    const page = await service.list(actorOf(res), {
      state: one(req.query.state),
      flow: one(req.query.flow),
      requester: one(req.query.requester),
      limit: limitOf(req),
      page_token: one(req.query.page_token),
    });
    res.json(page);
  });

  handle('get-request', async (req, res) => {
    res.json(await service.get(actorOf(res), id(req)));
  });

  handle('approve-request', async (req, res, body) => res.json(await service.approve(actorOf(res), id(req), body)), { before: [once('POST /requests/:id/approve')] });
  handle('deny-request', async (req, res, body) => res.json(await service.deny(actorOf(res), id(req), body)), { before: [once('POST /requests/:id/deny')] });
  handle('revoke-request', async (req, res, body) => res.json(await service.revoke(actorOf(res), id(req), body)), { before: [once('POST /requests/:id/revoke')] });
  return router;
}
