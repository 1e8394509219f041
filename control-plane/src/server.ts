import type { Server } from 'node:http';
import { composeControlPlane } from './compose';
import { parseConfig, sandboxOptionsOf } from './config';
import { bootstrapAdmin } from './features/auth/bootstrap-admin';
import { startMetricsServer, type MetricsServer } from './features/metrics/metrics-server';
import { gracefulShutdown } from './graceful-shutdown';
import { createLogger } from './logging/logger';

/** Entry point: `node control-plane/dist/server.js` (or `tsx src/server.ts`). */
export async function main(): Promise<void> {
  const config = parseConfig();
  const logger = createLogger(config.logLevel);

  // Signals are caught from the very start: the default action would kill the process while
  // PGlite writes its data directory (first start runs initdb), leaving it to be recovered.
  let stopSignal: string | undefined;
  let onStop: () => void = () => logger.info({ signal: stopSignal }, 'stop requested during startup');
  const handle = (signal: string) => {
    if (stopSignal) return logger.warn({ signal }, 'already stopping');
    stopSignal = signal;
    onStop();
  };
  process.on('SIGTERM', () => handle('SIGTERM'));
  process.on('SIGINT', () => handle('SIGINT'));

  const location = config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir };
  const cp = await composeControlPlane({
    location,
    logger,
    metrics: config.metricsPort !== undefined,
    jobsEnabled: config.jobsEnabled,
    consoleKey: config.consoleKey,
    // The operator's egress exceptions and fair-share settings, for the one sandbox compose builds.
    sandbox: sandboxOptionsOf(config),
    workflow: { pendingTtlSeconds: config.pendingTtlSeconds, idempotencyTtlMs: config.idempotencyTtlMs, jobs: { leaseMs: config.jobLeaseMs, retentionMs: config.jobRetentionMs } },
  });
  logger.info({ database: cp.db.mode, dataDir: config.dataDir }, 'database ready');
  const closeDb = async () => {
    try {
      await cp.sandbox.close();
      await cp.db.close();
      logger.info('stopped');
    } catch (err) {
      logger.error({ err }, 'error while closing the database');
      process.exitCode = 1;
    }
  };
  if (stopSignal) return closeDb();

  await bootstrapAdmin({ auth: cp.auth, dataDir: config.dataDir, orgSlug: config.bootstrapOrg });
  if (stopSignal) return closeDb();

  let metricsServer: MetricsServer | undefined;
  if (cp.metrics && config.metricsPort !== undefined) {
    metricsServer = await startMetricsServer({ metrics: cp.metrics, port: config.metricsPort, host: config.metricsHost, logger }).catch(async (err: unknown) => {
      await cp.db.close();
      throw err;
    });
    logger.info({ host: config.metricsHost, port: metricsServer.port }, 'metrics at /metrics');
  }

  const server: Server = cp.app.listen(config.port, config.host);
  // Tracks requests from the first one on, so a shutdown knows what is still in flight.
  const shutDown = gracefulShutdown({ server, jobs: cp.jobs, db: cp.db, logger, graceMs: config.shutdownGraceMs });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch(async (err) => {
    await metricsServer?.close();
    await cp.db.close();
    throw err;
  });
  const address = server.address();
  logger.info({ host: config.host, port: typeof address === 'object' && address ? address.port : config.port }, 'listening');
  // Jobs start once the server is up; SYM_JOBS=off keeps them queued (another replica, or a later start, runs them).
  if (config.jobsEnabled) cp.jobs.start();
  logger.info({ jobs: config.jobsEnabled ? 'on' : 'off' }, 'job runner');
  // Slack integrations with an app-level token connect over Socket Mode (nothing to do without one).
  await cp.slackSocketMode.start();

  onStop = () => {
    logger.info({ signal: stopSignal }, 'shutting down');
    // Stop accepting, drain in-flight requests, stop jobs, then close the database.
    void metricsServer?.close();
    // No new Slack envelopes once shutting down; Slack sends unacknowledged ones again elsewhere.
    void cp.slackSocketMode.stop();
    shutDown().then(
      // Jobs have stopped, so no hook runs any more: the sandbox's worker threads can go.
      async (report) => {
        await cp.sandbox.close();
        logger.info(report, 'stopped');
      },
      (err: unknown) => {
        logger.error({ err }, 'error while shutting down');
        process.exitCode = 1;
      },
    );
  };
  if (stopSignal) onStop();
}

main().catch((err: unknown) => {
  // Startup failures (bad config, unreachable database, failed migration) are one clear line.
  process.stderr.write(`OpenSym control plane failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
