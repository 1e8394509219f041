import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { entityResources, type ResourceSpec } from '@opensym/schemas';
import type { Logger } from 'pino';
import { createApp } from './app';
import { openDatabase, type Database, type DatabaseLocation } from './db/database';
import { createAuditLog } from './features/audit/audit-log';
import { createAuditService } from './features/audit/audit-service';
import { createAuthService, type AuthService } from './features/auth/auth-service';
import { createTokenService } from './features/auth/token-service';
import { createTokenStore } from './features/auth/token-store';
import { createEntityService } from './features/entities/entity-service';
import { createEntityStore } from './features/entities/entity-store';
import { createEntityValidator } from './features/entities/entity-validator';
import { createUserService } from './features/users/user-service';
import { createUserStore } from './features/users/user-store';

/**
 * `prisma/migrations` of this package. From source (`src/compose.ts`) and from the bundle
 * (`dist/server.js`) it is one directory up, then `prisma/migrations`.
 */
export function defaultMigrationsDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'prisma', 'migrations');
}

/** The wired control plane: app, services and the database to close on shutdown. */
export interface ControlPlane {
  app: ReturnType<typeof createApp>;
  db: Database;
  auth: AuthService;
  specs: readonly ResourceSpec[];
}

/** Composition root: opens the database (applying migrations) and wires stores → services → app. */
export async function composeControlPlane({
  location,
  logger,
  migrationsDir = defaultMigrationsDir(),
}: {
  location: DatabaseLocation;
  logger: Logger;
  migrationsDir?: string;
}): Promise<ControlPlane> {
  const db = await openDatabase(location, migrationsDir);
  const specs = entityResources();
  const validator = createEntityValidator(specs);
  const tokenStore = createTokenStore(db.prisma);
  const auth = createAuthService({ store: tokenStore });
  const auditLog = createAuditLog(db.prisma);
  const entities = createEntityService({ store: createEntityStore(db.prisma), validator, audit: auditLog });
  const userStore = createUserStore(db.prisma);
  const people = {
    users: createUserService({ store: userStore, audit: auditLog }),
    tokens: createTokenService({ auth, store: tokenStore, users: userStore, audit: auditLog }),
    audit: createAuditService({ reader: auditLog, findUserIdByEmail: async (orgId, email) => (await userStore.findByEmail(orgId, email))?.id ?? null }),
  };
  const app = createApp({ logger, specs, auth, entities, validator, ping: db.ping, people });
  return { app, db, auth, specs };
}
