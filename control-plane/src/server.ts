import type { Server } from 'node:http';
import { composeControlPlane } from './compose';
import { parseConfig } from './config';
import { bootstrapAdmin } from './features/auth/bootstrap-admin';
import { createLogger } from './logging/logger';

/** Entry point: `node control-plane/dist/server.js` (or `tsx src/server.ts`). */
export async function main(): Promise<void> {
  const config = parseConfig();
  const logger = createLogger(config.logLevel);
  const location = config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir };
  const cp = await composeControlPlane({ location, logger });
  logger.info({ database: cp.db.mode, dataDir: config.dataDir }, 'database ready');

  await bootstrapAdmin({ auth: cp.auth, dataDir: config.dataDir, orgSlug: config.bootstrapOrg });

  const server: Server = cp.app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ host: config.host, port }, 'listening');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // A stuck client must not keep the process (and PGlite's files) open forever.
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    force.unref();
    server.close(async () => {
      try {
        await cp.db.close();
        logger.info('stopped');
        process.exitCode = 0;
      } catch (err) {
        logger.error({ err }, 'error while closing the database');
        process.exitCode = 1;
      }
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  // Startup failures (bad config, unreachable database, failed migration) are one clear line.
  process.stderr.write(`OpenSym control plane failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
