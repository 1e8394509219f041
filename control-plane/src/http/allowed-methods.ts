import type { Request, RequestHandler, Response } from 'express';
import { ApiError } from '../errors/api-error';
import { sendProblem } from '../errors/problem-handler';

const operationMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'query'];

/** What the OpenAPI document says about one path. */
export interface PathMethods {
  /** The document's path template, e.g. `/api/v1/requests/{id}`. */
  template: string;
  pattern: RegExp;
  /** The `Allow` header value: documented methods, plus HEAD wherever GET is (Express answers it). */
  allow: string;
  methods: ReadonlySet<string>;
  /** Methods whose request body is documented as optional (`requestBody.required` not true). */
  optionalBody: ReadonlySet<string>;
}

/** The subset of an OpenAPI document read here. */
export interface OpenApiPaths {
  paths: Record<string, Record<string, unknown>>;
}

// `/api/v1/entities/flows/{id}` → /^\/api\/v1\/entities\/flows\/[^/]+\/?$/ ; a template variable is one segment.
function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  // Case-insensitive and with an optional trailing slash, as Express routes match.
  return new RegExp(`^${source}/?$`, 'i');
}

/** The document's paths, in its order, and the same entries by the number of `/` in their template. */
export interface KnownPaths {
  all: readonly PathMethods[];
  /** Absent when a template ends in `/` (its match may have one `/` more): then every entry is tried. */
  bySlashes?: ReadonlyMap<number, readonly PathMethods[]>;
}

const slashesIn = (path: string, end = path.length): number => {
  let n = 0;
  for (let i = 0; i < end; i++) if (path.charCodeAt(i) === 47) n++;
  return n;
};

/**
 * The methods of every path of an OpenAPI document, the one source of which methods each path
 * allows (the routes implement exactly the documented operations).
 */
export function pathMethodsOf(document: OpenApiPaths): KnownPaths {
  const bySlashes = new Map<number, PathMethods[]>();
  const all = Object.entries(document.paths).map(([template, item]) => {
    const documented = operationMethods.filter((m) => m in item);
    const upper = documented.map((m) => m.toUpperCase());
    const methods = new Set(upper.includes('GET') ? [...upper, 'HEAD'] : upper);
    const optionalBody = new Set(documented.filter((m) => (item[m] as { requestBody?: { required?: boolean } }).requestBody?.required !== true).map((m) => m.toUpperCase()));
    const entry = { template, pattern: templatePattern(template), methods, allow: [...methods].join(', '), optionalBody };
    // A template variable never spans a `/`, so a path can only match templates with as many.
    const slashes = slashesIn(template);
    bySlashes.set(slashes, [...(bySlashes.get(slashes) ?? []), entry]);
    return entry;
  });
  const trailingSlash = Object.keys(document.paths).some((template) => template.length > 1 && template.endsWith('/'));
  return trailingSlash ? { all } : { all, bySlashes };
}

/**
 * The document's entry for a request path, if it has one (the first in document order). Only the
 * templates with as many `/` as the path (one trailing `/` aside) are tried: a few, not all.
 */
export function pathMethodsFor(known: KnownPaths, requestPath: string): PathMethods | undefined {
  if (!known.bySlashes) return known.all.find((p) => p.pattern.test(requestPath));
  const trailing = requestPath.length > 1 && requestPath.endsWith('/');
  const slashes = slashesIn(requestPath, trailing ? requestPath.length - 1 : requestPath.length);
  return known.bySlashes.get(slashes)?.find((p) => p.pattern.test(requestPath));
}

const documentedKey = Symbol('documented path');

/**
 * The document's entry for the request's whole path, looked up once per request whichever
 * middleware asks first (method check, JSON check, router gates).
 */
export function documentedPathOf(known: KnownPaths, req: Request, res: Response): PathMethods | undefined {
  const locals = res.locals as { [documentedKey]?: PathMethods | null };
  let found = locals[documentedKey];
  // `null`: looked up, the document has no such path.
  if (found === undefined) found = locals[documentedKey] = pathMethodsFor(known, req.baseUrl + req.path) ?? null;
  return found ?? undefined;
}

/** The entry {@link documentedPathOf} found for this request: `null` for none, undefined when not looked up yet. */
export function documentedPathSeen(res: Response): PathMethods | null | undefined {
  return (res.locals as { [documentedKey]?: PathMethods | null })[documentedKey];
}

/**
 * Answers a method the document does not list for a known path with `405` and `Allow`
 * (RFC 9110 §15.5.6), and `OPTIONS` with `204` and `Allow`; other requests go on to the routes.
 * Paths the document does not know go on too, and end in the 404 handler.
 */
export function allowedMethods(known: KnownPaths): RequestHandler {
  return (req, res, next) => {
    const path = documentedPathOf(known, req, res);
    if (!path || path.methods.has(req.method)) return next();
    res.set('Allow', path.allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    sendProblem(res, new ApiError('method_not_allowed', `${req.method} is not allowed on ${req.path}; allowed: ${path.allow}.`));
  };
}
