/**
 * Enters an operation router only for requests whose documented path is one of its operations'.
 * `allowedMethods` has already matched every request to the OpenAPI document, so one set lookup
 * replaces walking the router's routes; on the request path that saves entering half a dozen
 * routers (health, users, audit, auth, ...) that cannot take it.
 */
import type { RequestHandler } from 'express';
import { documentedPathSeen } from './allowed-methods';
import { operationTemplatesOf } from './operations';

/** `router` behind a gate on its own operations' paths; any other handler is returned as it is. */
export function ownOperationsOnly(router: RequestHandler): RequestHandler {
  const templates = operationTemplatesOf(router);
  if (!templates) return router;
  const gate: RequestHandler = (req, res, next) => {
    const seen = documentedPathSeen(res);
    // Not looked up (no method check in front, as in some tests): the router decides, as before.
    if (seen === undefined || (seen !== null && templates.has(seen.template))) return router(req, res, next);
    next();
  };
  // The router's layers stay visible through the gate, to whatever lists the app's routes.
  return Object.assign(gate, { stack: (router as { stack?: unknown }).stack });
}
