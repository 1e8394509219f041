import { Router } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../../errors/api-error';

/** `GET /healthz`: 200 when the database answers, 503 problem otherwise. */
export function healthRoutes({ ping, logger }: { ping: () => Promise<void>; logger: Logger }): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await ping();
    } catch (err) {
      logger.warn({ err }, 'health check: database unavailable');
      throw new ApiError('unavailable', 'The database is not reachable.');
    }
    res.json({ status: 'ok' });
  });
  return router;
}
