/**
 * Routes by operation: each route names the OpenAPI operation it implements (as Unleash's
 * controllers do with `openApiService.validPath`), and its method, path and body schema come
 * from the generated document instead of being written again next to the handler.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { JsonSchema } from '@opensym/schemas';
import { compileBodyValidator } from '../validation/json-body';
import type { OperationBodies, OperationResponses } from './operation-bodies';

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** An HTTP method an operation may use. */
export type OperationMethod = (typeof methods)[number];

/** The subset of an OpenAPI document read by the operation index. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown>; responses?: Record<string, unknown> };
}

/** One documented operation. */
export interface Operation {
  operationId: string;
  method: OperationMethod;
  /** The document's path template, e.g. `/api/v1/requests/{id}`. */
  template: string;
  /** The request body's component schema, when the operation takes a body. */
  bodySchema?: JsonSchema;
  /** Whether the document requires a body (else an absent body is read as `{}`). */
  bodyRequired: boolean;
}

/** Every operation of the document, by `operationId`. */
export type OperationIndex = ReadonlyMap<string, Operation>;

interface OperationObject {
  operationId?: string;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: { $ref?: string } }> };
}

/** Indexes the document's operations by `operationId` (each must be unique). */
export function operationsOf(document: OpenApiDocument): OperationIndex {
  const index = new Map<string, Operation>();
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of methods) {
      const op = item[method] as OperationObject | undefined;
      if (!op?.operationId) continue;
      if (index.has(op.operationId)) throw new Error(`operationId ${op.operationId} is used twice in the OpenAPI document`);
      const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
      const name = ref?.replace('#/components/schemas/', '');
      const bodySchema = name === undefined ? undefined : (document.components.schemas[name] as JsonSchema | undefined);
      if (name !== undefined && !bodySchema) throw new Error(`${op.operationId}: no component schema ${name}`);
      index.set(op.operationId, { operationId: op.operationId, method, template, bodySchema, bodyRequired: op.requestBody?.required === true });
    }
  }
  return index;
}

/** `/api/v1/requests/{id}` under mount `/api/v1` → the Express path `/requests/:id`. */
export function expressPath(template: string, mount: string): string {
  if (!template.startsWith(mount)) throw new Error(`${template} is not under ${mount}`);
  return template.slice(mount.length).replace(/\{([^}]+)\}/g, ':$1');
}

/** The validated body of an operation: its schema's type where `OperationBodies` names it. */
export type BodyOf<Id extends string> = Id extends keyof OperationBodies ? OperationBodies[Id] : unknown;

/** The body of an operation's success answer: its schema's type where `OperationResponses` names it. */
export type ResponseOf<Id extends string> = Id extends keyof OperationResponses ? OperationResponses[Id] : unknown;

/**
 * A route handler that receives the operation's body, already checked against its schema; `res.json`
 * takes the type of the documented success answer.
 */
export type OperationHandler<Body, Answer = unknown> = (req: Request, res: Response<Answer>, body: Body) => unknown;

/** Options of one registration. */
export interface HandleOptions {
  /** Middleware run before the body check and the handler (e.g. `Idempotency-Key` handling). */
  before?: RequestHandler[];
  /**
   * `false` when the handler checks the body itself with the same generated schema plus rules
   * of its own (entities: `entity-validator.ts` compiles `entityJsonSchema`, as the document does).
   */
  validateBody?: boolean;
}

/** A router whose routes are registered by operation id. */
export interface OperationRouter {
  router: Router;
  /** Registers `operationId`'s handler at its documented method and path; throws for an unknown id. */
  handle<Id extends string>(operationId: Id, handler: OperationHandler<BodyOf<Id>, ResponseOf<Id>>, options?: HandleOptions): void;
}

const routePatternKey = Symbol('route pattern');

/**
 * The whole path pattern of the operation route that took the request (`/api/v1/requests/:id`),
 * whatever router it was mounted under; undefined when no route matched. Ids never appear in it,
 * so it can label metrics.
 */
export function routePatternOf(res: Response): string | undefined {
  return (res.locals as { [routePatternKey]?: string })[routePatternKey];
}

const templatesKey = Symbol('operation templates');

/** The document path templates of the operations registered on `router` (undefined: not an operation router). */
export function operationTemplatesOf(router: RequestHandler): ReadonlySet<string> | undefined {
  return (router as { [templatesKey]?: Set<string> })[templatesKey];
}

/**
 * A router for operations whose paths lie under `mount` (`/api/v1`, or `''` at the root); the
 * router must be mounted there (e.g. `/api/v1/entities` for the entity routes, so requests
 * elsewhere pass them with one prefix check).
 */
export function operationRouter(operations: OperationIndex, mount = '/api/v1'): OperationRouter {
  const router = Router();
  const templates = new Set<string>();
  Object.defineProperty(router, templatesKey, { value: templates });
  return {
    router,
    handle(operationId, handler, options = {}) {
      const op = operations.get(operationId);
      if (!op) throw new Error(`No operation ${operationId} in the OpenAPI document`);
      const check = op.bodySchema && options.validateBody !== false ? compileBodyValidator<BodyOf<typeof operationId>>(op.bodySchema) : undefined;
      const pattern = expressPath(op.template, '');
      const run: RequestHandler = async (req, res) => {
        // An optional body may be left out; the schema then sees `{}`.
        const body: unknown = check ? check(req.body === undefined && !op.bodyRequired ? {} : req.body) : req.body;
        await handler(req, res as Response<ResponseOf<typeof operationId>>, body as BodyOf<typeof operationId>);
      };
      const [first, ...rest] = [...(options.before ?? []), run];
      // The route's first handler also notes the pattern: no layer of its own (one per request).
      const matched: RequestHandler = (req, res, next) => {
        (res.locals as { [routePatternKey]?: string })[routePatternKey] = pattern;
        return first!(req, res, next);
      };
      router[op.method](expressPath(op.template, mount), matched, ...rest);
      templates.add(op.template);
    },
  };
}
