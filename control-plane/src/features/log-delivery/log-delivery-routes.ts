import type { Router } from 'express';
import { operationRouter, type OperationIndex } from '../../http/operations';
import { identityOf } from '../auth/auth-middleware';
import type { LogDeliveryService } from './log-delivery-service';

/** `GET /entities/log-destinations/{id}/delivery`: the destination's delivery state (a router to mount at `/api/v1/entities`, beside the entity routes). */
export function logDeliveryRoutes({ operations, service }: { operations: OperationIndex; service: LogDeliveryService }): Router {
  const { router, handle } = operationRouter(operations, '/api/v1/entities');
  handle('get-log-destination-delivery', async (req, res) => {
    res.json(await service.state(identityOf(res), String(req.params.id)));
  });
  return router;
}
