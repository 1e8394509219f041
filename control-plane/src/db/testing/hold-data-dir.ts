/**
 * Child process for data-dir-lock tests: opens the embedded database in SYM_DATA_DIR, prints
 * "ready" and keeps it open until killed.
 */
import { openDatabase } from '../database';
import { migrationsDir } from '../../jobs/testing/migrations-dir';

const db = await openDatabase({ dataDir: process.env.SYM_DATA_DIR! }, migrationsDir);
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
process.on('SIGTERM', () => void db.close().then(() => process.exit(0)));
setInterval(() => {}, 60_000);
