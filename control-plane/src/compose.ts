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
import { createEntityLookup } from './features/entities/entity-lookup-store';
import { createEntityStore } from './features/entities/entity-store';
import { createEntityValidator } from './features/entities/entity-validator';
import { createLiveRequestStore } from './features/entities/live-request-store';
import { createSessionKeys } from './features/console/console-session';
import { createSignInLinkStore } from './features/console/sign-in-link-store';
import { createIdempotency } from './features/idempotency/idempotency-middleware';
import { createIdempotencyPruner } from './features/idempotency/idempotency-pruner';
import { createIdempotencyStore } from './features/idempotency/idempotency-store';
import { createMetrics, sandboxOccupancy, type Metrics } from './features/metrics/metrics';
import { createRequestStateCounter } from './features/metrics/metrics-store';
import { createSandbox, type Sandbox, type SandboxOptions } from './sandbox';
import { createUserService } from './features/users/user-service';
import { createUserLookup } from './features/users/user-lookup-store';
import { createUserStore } from './features/users/user-store';
import { type AwsLookup, createSandboxHookRunner } from './features/requests/hook-runner';
import { environmentView } from './features/requests/hook-environment';
import { createAwsHookHost } from './features/strategies';
import { createRequestService, JOB_KINDS, type ChannelMembersLookup, type RequestService } from './features/requests/request-service';
import { createRequestStore } from './features/requests/request-store';
import { withCachedLookups } from './features/requests/cached-lookups';
import {
  createAwsCredentialResolver,
  createIdentityCacheStore,
  createLoggingErrorReporter,
  createSecretReader,
  createStrategyRegistry,
  type ErrorReporter,
  type StrategyRegistry,
} from './features/strategies';
import { pagerDutyApiUrlFromEnv } from './integrations/pagerduty/pagerduty-client';
import { createPagerDutyHosts } from './integrations/pagerduty/pagerduty-host';
import { createDirectoryHosts } from './integrations/directory/directory-hosts';
import { createJobPruner, createJobQueue, exponentialBackoff, type Backoff, type BackoffOptions, type JobHandlers, type JobQueue, type JobQueueOptions, type NewJob } from './jobs';
import { toBackoff } from './jobs/backoff';
import {
  createAwsLogClients,
  createDestinationAwsScope,
  createLogDeliveryService,
  createLogDeliveryStore,
  createLogDeliveryWorker,
  createSinkFactory,
  LOG_DELIVERY_JOB,
  type AwsLogClients,
} from './features/log-delivery';
import { createSlackFeature } from './features/slack/slack-feature';
import type { SlackSocketMode } from './features/slack/slack-socket-mode';
import { withSlackSync } from './features/slack/slack-lifecycle';
import { createSlackErrorLogger } from './features/slack/slack-error-logger';
import { flowParamsOf } from './features/requests/flow-params';
import { createSlackStore } from './features/slack/slack-store';
import { slackApiUrlFromEnv } from './integrations/slack/slack-client';
import { createSlackWorkspaces } from './integrations/slack/slack-workspaces';
import { operatorSlackAppFromEnv, type OperatorSlackApp } from './integrations/slack/operator-slack-app';
import { slackSettingsRule } from './features/slack/slack-settings-rule';
import { createFlowsFilter } from './features/slack/flows-filter';
import { createIntegrationDirectory } from './features/entities/entity-lookup-store';
import type { PagerDutyHost } from './sandbox';
import type { RetryOptions } from '@slack/web-api';

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
  requests: RequestService;
  /** The durable job runner and the pruning of finished jobs: `start()` after listening (unless paused by config), `stop()` before closing the database. */
  jobs: { queue: JobQueue; handlers: JobHandlers; start(): void; stop(options?: { timeoutMs?: number }): Promise<void>; running(): boolean };
  /** Prometheus metrics, when asked for (`metrics: true`); served by `startMetricsServer`. */
  metrics?: Metrics;
  /** The one sandbox every hook, custom strategy and plan-time check runs in; close it after the jobs stop. */
  sandbox: Sandbox;
  /** Slack Socket Mode connections: `start()` once serving, `stop()` when shutting down. */
  slackSocketMode: SlackSocketMode;
}

/** Settings and replaceable parts of the access workflow (tests pass doubles here). */
export interface WorkflowOptions {
  /** Seconds a request waits for a decision (default 24 h). */
  pendingTtlSeconds?: number;
  /** Default: the registry over `custom`, `aws_lambda`, `aws_sso` and `aws_iam` strategies. */
  strategies?: StrategyRegistry;
  /** Answers `pagerduty.on_call` / `is_on_call` in every flow's hooks; default: the PagerDuty integration of the flow's environment. */
  pagerduty?: PagerDutyHost;
  /** Members of a Slack channel for `slack.channel` approvers; default: `conversations.members` of the flow's Slack workspace. */
  channelMembers?: ChannelMembersLookup;
  /** Slack Web API base URL (default `SYM_SLACK_API_URL`, else Slack's); tests point it at the double. */
  slackApiUrl?: string;
  /** Retries of one Slack call (default: a few quick ones; jobs retry the step later). */
  slackRetries?: RetryOptions;
  /** The operator's Slack app, used by `slack` integrations naming no token secrets (default: `SYM_SLACK_BOT_TOKEN`, `SYM_SLACK_SIGNING_SECRET`, `SYM_SLACK_APP_TOKEN`). */
  slackApp?: OperatorSlackApp;
  /**
   * Poll interval, lease and backoff of the job queue, and how long finished jobs are kept
   * (`retentionMs`, default 7 days; null keeps them forever).
   */
  jobs?: Pick<JobQueueOptions, 'pollIntervalMs' | 'leaseMs' | 'backoff' | 'workerId'> & { retentionMs?: number | null };
  /** How long `Idempotency-Key`s and their answers are kept (default 24 h). */
  idempotencyTtlMs?: number;
  /**
   * Log delivery: the backoff after failed attempts (default 1 s doubling up to 5 min), the
   * `fetch` of the HTTP destinations and the AWS clients (default: the process environment's).
   */
  logDelivery?: { backoff?: Backoff | BackoffOptions; fetch?: typeof fetch; aws?: AwsLogClients };
  /** The AWS door of hooks (`aws_sso`, `aws_iam`, `aws_lambda`); default: the environment's runtime role, from the process environment's AWS settings. */
  hookAws?: AwsLookup;
}

/** Composition root: opens the database (applying migrations) and wires stores → services → app. */
export async function composeControlPlane({
  location,
  logger,
  migrationsDir = defaultMigrationsDir(),
  workflow = {},
  metrics: metricsOn = false,
  jobsEnabled = true,
  validateResponses = false,
  sandbox: sandboxOrOptions = {},
  consoleKey,
}: {
  location: DatabaseLocation;
  logger: Logger;
  migrationsDir?: string;
  workflow?: WorkflowOptions;
  /** Collect Prometheus metrics (`SYM_METRICS_PORT` set); off, nothing is measured. */
  metrics?: boolean;
  /** Whether this process is meant to run jobs (`SYM_JOBS`); with false, `/readyz` does not wait for the runner. */
  jobsEnabled?: boolean;
  /** Check every answer against the OpenAPI document (the test control plane turns it on). */
  validateResponses?: boolean;
  /** The sandbox's settings (egress exceptions, limits, fair share), or a sandbox to use as it is (tests). */
  sandbox?: SandboxOptions | Sandbox;
  /** Signs the web console's session cookies (at least 32 bytes); default: random at each start, so sessions end on restart. */
  consoleKey?: Buffer;
}): Promise<ControlPlane> {
  const dbLog = logger.child({ component: 'database' });
  const db = await openDatabase(location, migrationsDir, {
    maintenance: {
      onEvent: (e) => ('error' in e ? dbLog.warn({ err: e.error }, 'embedded database maintenance failed') : dbLog.debug(e, 'embedded database maintenance')),
    },
  });
  // Built here and handed to everything that runs guest code: no process-wide default sandbox.
  const sandbox = isSandbox(sandboxOrOptions) ? sandboxOrOptions : createSandbox(sandboxOrOptions);
  const specs = entityResources();
  const validator = createEntityValidator(specs, { checkSource: (source, options) => sandbox.check(source, options) });
  const tokenStore = createTokenStore(db.prisma);
  const auth = createAuthService({ store: tokenStore });
  const auditLog = createAuditLog(db.prisma);
  const { retentionMs = 7 * 86_400_000, ...queueOptions } = workflow.jobs ?? {};
  const jobLogger = logger.child({ component: 'jobs' });
  const queue = createJobQueue({
    prisma: db.prisma,
    logger: jobLogger,
    batchedEnqueue: db.mode === 'embedded' ? { maxInFlight: 1, gatherTurn: true } : { maxInFlight: 4, gatherTurn: false },
    ...queueOptions,
  });
  const pruner = retentionMs === null ? null : createJobPruner({ prisma: db.prisma, logger: jobLogger, retentionMs });
  // Flows and users read on every request, kept a few seconds; dropped here on any change.
  // PGlite has one connection: one request-creating batch at a time; a pool takes a few side by side.
  const embedded = db.mode === 'embedded';
  // Concurrent lookups of one kind share a statement (db/group-read.ts); one at a time on PGlite.
  const reads = { maxInFlight: embedded ? 1 : 4 };
  const requestStore = withCachedLookups(
    createRequestStore(db.prisma, queue, { writeConcurrency: embedded ? 1 : 4, gatherTurn: embedded, entities: createEntityLookup(db.prisma), users: createUserLookup(db.prisma, reads) }),
  );
  // Slack: workspaces by team id or flow, their secrets and clients (kept a few seconds, dropped on any entity change).
  const integrationDirectory = createIntegrationDirectory(db.prisma);
  const slackApiUrl = workflow.slackApiUrl ?? slackApiUrlFromEnv();
  const operatorApp = workflow.slackApp ?? operatorSlackAppFromEnv();
  const slackWorkspaces = createSlackWorkspaces({
    operatorApp,
    directory: {
      findByTeam: (team) => integrationDirectory.findByExternalId('slack', team),
      listOfOrg: (orgId) => integrationDirectory.listOfOrg(orgId, 'slack'),
      all: () => integrationDirectory.findAllOfType('slack'),
    },
    entities: createEntityStore(db.prisma),
    secrets: createSecretReader(),
    apiUrl: slackApiUrl,
    ...(workflow.slackRetries && { retries: workflow.slackRetries }),
  });
  const entities = createEntityService({
    store: createEntityStore(db.prisma),
    validator,
    audit: auditLog,
    liveRequests: createLiveRequestStore(db.prisma),
    deploymentRules: [slackSettingsRule(operatorApp)],
    onChange: () => {
      requestStore.forget();
      slackWorkspaces.forget();
      slack.forget();
      // Socket Mode follows its integrations (does nothing until the server starts it).
      void slack.socketMode.sync();
    },
  });
  const userStore = createUserStore(db.prisma, reads);
  const people = {
    users: createUserService({
      store: userStore,
      audit: auditLog,
      onChange: () => {
        auth.forget();
        requestStore.forget();
      },
    }),
    tokens: createTokenService({ auth, store: tokenStore, users: userStore, audit: auditLog }),
    audit: createAuditService({ reader: auditLog, findUserIdByEmail: async (orgId, email) => (await userStore.findByEmail(orgId, email))?.id ?? null }),
  };

  const metrics = metricsOn ? createMetrics() : undefined;
  const slackJobs = async (job: NewJob) => {
    // Slack acks arrive many at once: their jobs share insert statements (committed before the ack).
    await queue.enqueueBatched(job);
    queue.poke();
  };
  const slackErrors = createSlackErrorLogger({
    entities: createEntityStore(db.prisma),
    requestEnvironment: async (orgId, requestId) => {
      const request = await requestStore.get(orgId, requestId);
      return request && { environmentId: flowParamsOf(request).environmentId, flowName: request.flowName };
    },
    enqueue: slackJobs,
    logger: logger.child({ component: 'slack' }),
  });
  const logged = createLoggingErrorReporter(logger);
  // Strategy failures: a log line, and the environment's Slack error logger when it has one.
  const errorReporter: ErrorReporter = {
    report: async (failure) => {
      await logged.report(failure);
      await slackErrors.report(failure);
    },
  };
  const entityStore = createEntityStore(db.prisma);
  // One resolver (and one cache of assumed roles) for every AWS call of an environment: strategies and hooks.
  const awsCredentials = createAwsCredentialResolver({ entities: entityStore, env: process.env });
  const registry =
    workflow.strategies ??
    createStrategyRegistry({ entities: entityStore, identityCache: createIdentityCacheStore(db.prisma), logger: logger.child({ component: 'strategies' }), errorReporter, sandbox, awsCredentials });
  const strategies = metrics ? metrics.observeStrategies(registry) : registry;
  const pagerDutyHosts = createPagerDutyHosts({ entities: entityStore, secrets: createSecretReader(), credentials: awsCredentials, users: userStore, baseUrl: pagerDutyApiUrlFromEnv() });
  const pagerDutyOf = async (orgId: string, environmentId: string | null) =>
    pagerDutyHosts.forEnvironment(orgId, environmentId ? await entityStore.findById(orgId, 'environments', environmentId) : null);
  // okta.*, google.*, github.* in hooks: the environment's integrations, read on first use.
  const directoryHosts = createDirectoryHosts({
    entities: entityStore,
    secrets: createSecretReader(),
    credentials: awsCredentials,
    users: userStore,
    identityCache: createIdentityCacheStore(db.prisma),
    logger: logger.child({ component: 'hooks' }),
  });
  // aws_sso.*, aws_iam.*, aws_lambda.* in hooks: signed with the same runtime-role resolver as strategies.
  const hookAwsDeps = {
    entities: entityStore,
    identityCache: createIdentityCacheStore(db.prisma),
    credentials: awsCredentials,
    env: process.env,
    users: userStore,
  };
  const hookRunner = createSandboxHookRunner({
    sandbox,
    pagerduty: workflow.pagerduty ? async () => workflow.pagerduty : pagerDutyOf,
    slack: (orgId, environmentId) => slack.hostFor(orgId, environmentId),
    directory: (orgId, environmentId) => directoryHosts.forEnvironment(orgId, environmentId),
    aws: workflow.hookAws ?? ((scope) => createAwsHookHost(hookAwsDeps, scope)),
    environment: (orgId, environmentId) => environmentView((o, kind, id) => entityStore.findById(o, kind, id), orgId, environmentId),
  });
  const slack = createSlackFeature({
    workspaces: slackWorkspaces,
    requests: () => requests,
    store: createSlackStore(db.prisma, reads),
    users: userStore,
    entities: entityStore,
    enqueue: slackJobs,
    logger: logger.child({ component: 'slack' }),
    apiUrl: slackApiUrl,
    flowsFilter: createFlowsFilter({
      sandbox,
      entities: entityStore,
      // The filter's own `integrations.pagerduty_id`, read as an environment's would be.
      pagerduty: workflow.pagerduty ? async () => workflow.pagerduty : (orgId, filter) => pagerDutyHosts.forEnvironment(orgId, filter),
      logger: logger.child({ component: 'slack' }),
    }),
  });
  const requests = createRequestService({
    store: withSlackSync(
      requestStore,
      (orgId) => slackWorkspaces.hasAny(orgId),
      (orgId, requestId, events) => void slackErrors.recorded(orgId, requestId, events),
    ),
    channelMembers: workflow.channelMembers ?? slack.channelMembers,
    hooks: metrics ? metrics.observeHooks(hookRunner) : hookRunner,
    strategies,
    reportFailure: (failure) => errorReporter.report(failure),
    pendingTtlSeconds: workflow.pendingTtlSeconds ?? 24 * 3600,
    onJobsEnqueued: () => queue.poke(),
  });
  const logDeliveryStore = createLogDeliveryStore(db.prisma, queue.enqueue);
  const deliverLogs = createLogDeliveryWorker({
    store: logDeliveryStore,
    entities: entityStore,
    sinks: createSinkFactory({
      entities: entityStore,
      secrets: createSecretReader(),
      aws: workflow.logDelivery?.aws ?? createAwsLogClients(),
      // Firehose, Kinesis and Secrets Manager calls of a destination go out as its environments' runtime role.
      credentials: awsCredentials,
      scopeOf: createDestinationAwsScope({ entities: entityStore, referrers: (id) => entityStore.referrers(id) }),
      fetch: workflow.logDelivery?.fetch,
    }),
    backoff: workflow.logDelivery?.backoff ? toBackoff(workflow.logDelivery.backoff) : exponentialBackoff({ baseMs: 1000, maxMs: 5 * 60_000 }),
    logger: logger.child({ component: 'log-delivery' }),
  });
  const jobHandlers: JobHandlers = {
    [LOG_DELIVERY_JOB]: { run: deliverLogs },
    [JOB_KINDS.escalate]: { run: requests.escalate, onGiveUp: requests.escalateGaveUp },
    [JOB_KINDS.deescalate]: { run: requests.deescalate, onGiveUp: requests.deescalateGaveUp },
    [JOB_KINDS.expirePending]: { run: requests.expirePending },
    ...slack.jobs,
  };
  const handlers = metrics ? metrics.observeJobs(jobHandlers) : jobHandlers;
  let jobsRunning = false;
  const idempotencyStore = createIdempotencyStore(db.prisma);
  const idempotent = createIdempotency({ store: idempotencyStore, logger: logger.child({ component: 'idempotency' }), ttlMs: workflow.idempotencyTtlMs });
  const keyPruner = createIdempotencyPruner({ store: idempotencyStore, logger: jobLogger });
  const jobs = {
    queue,
    handlers,
    // A process that runs jobs also deletes old finished ones (and expired idempotency keys); with SYM_JOBS=off it does neither.
    start: () => {
      queue.start(handlers);
      pruner?.start();
      keyPruner.start();
      jobsRunning = true;
    },
    stop: async (options?: { timeoutMs?: number }) => {
      jobsRunning = false;
      await Promise.all([queue.stop(options), pruner?.stop(), keyPruner.stop()]);
    },
    running: () => jobsRunning,
  };
  metrics?.setSources({ requestsByState: createRequestStateCounter(db.prisma), sandbox: () => sandboxOccupancy(sandbox.stats()), jobsRunning: () => jobsRunning });
  const readiness = { pendingMigrations: db.pendingMigrations, jobs: () => (!jobsEnabled ? 'off' : jobsRunning ? 'running' : 'stopped') as 'off' | 'running' | 'stopped' };

  const logDelivery = createLogDeliveryService({ store: logDeliveryStore, entities: entityStore });
  // The console names a session's token by its hash; each page looks it up again, so revoking the token signs the session out.
  const consoleSessions = { identityByTokenHash: (hash: string) => tokenStore.findByHash(hash), keys: createSessionKeys(consoleKey), links: createSignInLinkStore(db.prisma) };
  const app = createApp({
    logger,
    specs,
    auth,
    entities,
    validator,
    checkSource: (source, options) => sandbox.check(source, options),
    ping: db.ping,
    people,
    requests,
    logDelivery,
    idempotent,
    readiness,
    metricsMiddleware: metrics?.http,
    validateResponses,
    console: consoleSessions,
    slack: slack.routes,
  });
  return { app, db, auth, specs, requests, jobs, sandbox, slackSocketMode: slack.socketMode, ...(metrics && { metrics }) };
}

function isSandbox(value: SandboxOptions | Sandbox): value is Sandbox {
  return typeof (value as Sandbox).run === 'function';
}
