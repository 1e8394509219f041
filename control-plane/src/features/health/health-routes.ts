import type { Router } from 'express';
import { operationRouter, type OperationIndex } from '../../http/operations';
import type { Logger } from 'pino';
import { ApiError, type FieldError } from '../../errors/api-error';

/** The job runner as readiness sees it: `off` when this process is configured not to run jobs. */
export type JobRunnerState = 'running' | 'stopped' | 'off';

/** What `/readyz` checks besides the database answering. */
export interface Readiness {
  /** Migrations this build ships that the database lacks. */
  pendingMigrations(): Promise<string[]>;
  jobs(): JobRunnerState;
}

/**
 * `GET /healthz`: 200 when the database answers, 503 problem otherwise (liveness).
 * `GET /readyz`: 200 when the database answers, every migration is applied and the job runner
 * runs (unless `SYM_JOBS=off`); otherwise 503 problem+json with one error per check that failed
 * (pointer `/checks/<name>`), so a load balancer sends traffic only to a process that can serve it.
 */
export function healthRoutes({ operations, ping, logger, readiness }: { operations: OperationIndex; ping: () => Promise<void>; logger: Logger; readiness?: Readiness }): Router {
  // Served at the root, outside `/api/v1`.
  const { router, handle } = operationRouter(operations, '');
  handle('healthz', async (_req, res) => {
    try {
      await ping();
    } catch (err) {
      logger.warn({ err }, 'health check: database unavailable');
      throw new ApiError('unavailable', 'The database is not reachable.');
    }
    res.json({ status: 'ok' });
  });
  handle('readyz', async (_req, res) => {
    const problems: FieldError[] = [];
    const checks: Record<string, string> = {};
    try {
      await ping();
      checks.database = 'ok';
      if (readiness) {
        const pending = await readiness.pendingMigrations();
        checks.migrations = pending.length === 0 ? 'ok' : 'pending';
        if (pending.length > 0) problems.push({ pointer: '/checks/migrations', detail: `not applied: ${pending.join(', ')}` });
      }
    } catch (err) {
      logger.warn({ err }, 'readiness check: database unavailable');
      problems.push({ pointer: '/checks/database', detail: 'the database is not reachable' });
    }
    if (readiness) {
      const jobs = readiness.jobs();
      checks.jobs = jobs;
      if (jobs === 'stopped') problems.push({ pointer: '/checks/jobs', detail: 'the job runner is not running' });
    }
    if (problems.length > 0) {
      throw new ApiError('unavailable', `Not ready: ${problems.map((p) => p.detail).join('; ')}.`, problems);
    }
    res.json({ status: 'ready', checks });
  });
  return router;
}
