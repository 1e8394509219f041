/**
 * Runs a router only for paths under one prefix, without rewriting `req.url` (as `app.use(prefix,
 * router)` would): routers that declare their full paths (`/console/...`, `/slack/...`) keep them,
 * and every other request passes with one string check instead of trying each of their routes.
 */
import type { RequestHandler } from 'express';

/** `handler` for requests whose path is `prefix` or lies below it; others go straight on. */
export function onlyUnder(prefix: string, handler: RequestHandler): RequestHandler {
  const below = `${prefix}/`;
  const gate: RequestHandler = (req, res, next) => (req.path === prefix || req.path.startsWith(below) ? handler(req, res, next) : next());
  // A router's layers stay visible through the gate, to whatever lists the app's routes.
  return Object.assign(gate, { stack: (handler as { stack?: unknown }).stack });
}
