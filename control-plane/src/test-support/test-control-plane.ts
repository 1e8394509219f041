import { pino, type Logger } from 'pino';
import supertest from 'supertest';
import { composeControlPlane, type ControlPlane, type WorkflowOptions } from '../compose';
import type { DatabaseLocation } from '../db/database';
import { createTokenStore } from '../features/auth/token-store';
import { generateToken, hashToken } from '../features/auth/auth-service';
import type { Sandbox } from '../sandbox';

/** A control plane on a fresh database with tokens for two organizations, for API tests. */
export interface TestControlPlane {
  cp: ControlPlane;
  request: ReturnType<typeof supertest>;
  admin: string;
  member: string;
  /** Admin token of a second organization, for cross-org checks. */
  otherAdmin: string;
  orgId: string;
  close(): Promise<void>;
}

let orgCounter = 0;

/** In-memory PGlite, unless OPENSYM_TEST_API_ON_POSTGRES=1 asks to run API tests on OPENSYM_TEST_DATABASE_URL. */
function defaultTestLocation(): DatabaseLocation {
  const url = process.env.OPENSYM_TEST_DATABASE_URL;
  return url && process.env.OPENSYM_TEST_API_ON_POSTGRES === '1' ? { url } : { memory: true };
}

/**
 * Starts a control plane over in-memory PGlite (default) or the given database, migrations
 * applied. `workflow` replaces parts of the access workflow (strategy registry, PagerDuty, TTL);
 * `startJobs` runs the job queue (stopped again by `close`); `logger` replaces the silent default.
 * Answers are validated against the OpenAPI document (`validateResponses`; benches turn it off,
 * as production has it).
 */
export async function startTestControlPlane(
  location: DatabaseLocation = defaultTestLocation(),
  {
    workflow,
    startJobs = false,
    logger,
    metrics = false,
    sandbox,
    validateResponses = true,
  }: { workflow?: WorkflowOptions; startJobs?: boolean; logger?: Logger; metrics?: boolean; sandbox?: Sandbox; validateResponses?: boolean } = {},
): Promise<TestControlPlane> {
  // Every answer an API test receives is checked against the OpenAPI document (a mismatch is a 500).
  const cp = await composeControlPlane({
    location,
    logger: logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    workflow,
    metrics,
    validateResponses,
    ...(sandbox && { sandbox }),
  });
  if (startJobs) cp.jobs.start();
  const tokens = createTokenStore(cp.db.prisma);
  // Unique slugs so several runs can share one PostgreSQL database.
  const suffix = `${process.pid}-${Date.now()}-${orgCounter++}`;
  const admin = generateToken();
  const org = (await tokens.createOrganizationWithToken({ slug: `test-${suffix}`, tokenName: 'admin', role: 'admin', tokenHash: hashToken(admin) }))!;
  const member = generateToken();
  await tokens.createToken({ orgId: org.org.id, name: 'member', role: 'member', tokenHash: hashToken(member) });
  const otherAdmin = generateToken();
  await tokens.createOrganizationWithToken({ slug: `other-${suffix}`, tokenName: 'admin', role: 'admin', tokenHash: hashToken(otherAdmin) });
  const close = async () => {
    await cp.jobs.stop();
    await cp.sandbox.close();
    await cp.db.close();
  };
  return { cp, request: supertest(cp.app), admin, member, otherAdmin, orgId: org.org.id, close };
}
