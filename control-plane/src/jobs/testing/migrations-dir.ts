import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** control-plane/prisma/migrations, for tests and scripts that open a database themselves. */
export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'prisma', 'migrations');
