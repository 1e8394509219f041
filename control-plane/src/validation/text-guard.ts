import type { RequestHandler } from 'express';
import { invalid } from './json-body';
import { jsonShapeErrors, queryTextErrors } from './json-shape';

/**
 * Middleware placed after the JSON body parser: refuses, with one 422 for every route, a body or
 * query string that no store can hold (U+0000) or that nests too deep, before any route runs.
 */
export const requestTextGuard: RequestHandler = (req, _res, next) => {
  const errors = queryTextErrors(req.query as Record<string, unknown>);
  if (req.body !== undefined) errors.push(...jsonShapeErrors(req.body));
  if (errors.length > 0) throw invalid(errors);
  next();
};
