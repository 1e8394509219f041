import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ResourceSpec } from '@opensym/schemas';
import { notFoundHandler, problemHandler } from './errors/problem-handler';
import type { AuditService } from './features/audit/audit-service';
import { auditRoutes } from './features/audit/audit-routes';
import { consoleRoutes, type ConsoleDeps } from './features/console/console-routes';
import { requireToken } from './features/auth/auth-middleware';
import type { TokenService } from './features/auth/token-service';
import { userRoutes } from './features/users/user-routes';
import type { UserService } from './features/users/user-service';
import { authRoutes } from './features/auth/auth-routes';
import type { AuthService } from './features/auth/auth-service';
import { entityRoutes } from './features/entities/entity-routes';
import type { EntityService } from './features/entities/entity-service';
import type { CheckSource, EntityValidator } from './features/entities/entity-validator';
import { implementationCheckRoutes } from './features/entities/implementation-check-routes';
import { healthRoutes, type Readiness } from './features/health/health-routes';
import { logDeliveryRoutes, type LogDeliveryService } from './features/log-delivery';
import type { Idempotent } from './features/idempotency/idempotency-middleware';
import { openApiRoutes } from './features/openapi/openapi-routes';
import { requestRoutes } from './features/requests/request-routes';
import type { RequestService } from './features/requests/request-service';
import { requestLogger } from './logging/logger';
import { allowedMethods, pathMethodsOf, type OpenApiPaths } from './http/allowed-methods';
import { operationsOf, type OpenApiDocument } from './http/operations';
import { requireJson } from './http/require-json';
import { validateResponses } from './http/response-validation';
import { requestTextGuard } from './validation/text-guard';
import { onlyUnder } from './http/path-prefix';
import { ownOperationsOnly } from './http/operation-gate';
// The document the routes implement; which methods each path allows is read from it.
import openApiDocument from '../../schemas/generated/openapi.json' with { type: 'json' };

/** Everything the HTTP app needs, built by the composition root (or by tests). */
export interface AppDeps {
  logger: Logger;
  specs: readonly ResourceSpec[];
  auth: Pick<AuthService, 'authenticate'>;
  entities: EntityService;
  validator: EntityValidator;
  /** The sandbox's check of an implementation, served as `POST /implementation-checks`; absent: no such route. */
  checkSource?: CheckSource;
  ping: () => Promise<void>;
  /** Users, tokens and the audit trail; absent in tests that only need entities. */
  people?: { users: UserService; tokens: TokenService; audit: AuditService };
  /** The access-request lifecycle; absent in tests that only need entities. */
  requests?: RequestService;
  /** Delivery state of log destinations; absent in tests that only need entities. */
  logDelivery?: LogDeliveryService;
  /** What `/readyz` checks besides the database (migrations, job runner); absent: only the database. */
  readiness?: Readiness;
  /** Times every request for the metrics (only when metrics are on). */
  metricsMiddleware?: RequestHandler;
  /** `Idempotency-Key` handling of the request lifecycle's unsafe operations; absent: the header is ignored. */
  idempotent?: Idempotent;
  /** Check every answer against the OpenAPI document (tests): a mismatch becomes a 500 problem. */
  validateResponses?: boolean;
  /** The web console's sessions (served under /console when `people` and `requests` are given too). */
  console?: Pick<ConsoleDeps, 'identityByTokenHash' | 'keys' | 'links'>;
  /** Slack's inbound routes (`/slack/*`, signed by Slack, not token-authenticated); absent in tests that do not need them. */
  slack?: (operations: ReturnType<typeof operationsOf>) => express.Router;
}

const bodyLimitBytes = 1024 * 1024;

/** Builds the Express app; no listening, no globals, so tests can build many. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  if (deps.metricsMiddleware) app.use(deps.metricsMiddleware);
  app.use(requestLogger(deps.logger));
  if (deps.validateResponses) app.use(validateResponses(openApiDocument as OpenApiDocument, deps.logger));
  const pathMethods = pathMethodsOf(openApiDocument as OpenApiPaths);
  // Every route registers by operationId; method, path and body schema come from the document.
  const operations = operationsOf(openApiDocument as OpenApiDocument);
  app.use(allowedMethods(pathMethods));
  // Every request is matched to the document above; each operation router is entered only for its own paths.
  const own = ownOperationsOnly;
  app.use(own(healthRoutes({ operations, ping: deps.ping, logger: deps.logger, readiness: deps.readiness })));
  // HTML pages for people, outside the JSON API (no operations, no bearer tokens, form bodies).
  if (deps.console && deps.people && deps.requests) {
    app.use(
      onlyUnder(
        '/console',
        consoleRoutes({ ...deps.console, auth: deps.auth, specs: deps.specs, entities: deps.entities, users: deps.people.users, tokens: deps.people.tokens, requests: deps.requests }),
      ),
    );
  }

  // Slack signs its calls instead of sending a token, and posts forms: mounted beside the JSON API.
  if (deps.slack) app.use(onlyUnder('/slack', deps.slack(operations)));

  const api = express.Router();
  api.use(own(openApiRoutes(operations)));
  api.use(requireToken(deps.auth));
  api.use(requireJson(pathMethods));
  api.use(express.json({ limit: bodyLimitBytes, type: ['application/json', 'application/*+json'] }));
  // U+0000 and over-deep nesting are refused here, once for every route, before any of them runs.
  api.use(requestTextGuard);
  api.use(own(authRoutes({ operations, userOf: deps.people?.users.self })));
  if (deps.people) api.use(own(userRoutes({ operations, ...deps.people })), own(auditRoutes({ operations, service: deps.people.audit })));
  // Under one prefix: each kind adds five routes, which every other request would otherwise try.
  const entitiesApi = express.Router();
  if (deps.logDelivery) entitiesApi.use(own(logDeliveryRoutes({ operations, service: deps.logDelivery })));
  entitiesApi.use(own(entityRoutes({ operations, specs: deps.specs, service: deps.entities, validator: deps.validator })));
  api.use('/entities', entitiesApi);
  if (deps.checkSource) api.use(own(implementationCheckRoutes({ operations, checkSource: deps.checkSource })));
  if (deps.requests) api.use(own(requestRoutes({ operations, service: deps.requests, idempotent: deps.idempotent })));
  app.use('/api/v1', api);

  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
}
