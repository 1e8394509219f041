import type { Request, Response, Router } from 'express';
import { operationRouter, type OperationIndex } from '../../http/operations';
import type { ResourceSpec } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import { identityOf } from '../auth/auth-middleware';
import { isUuid, type EntityService } from './entity-service';
import type { EntityValidator } from './entity-validator';
import { parsePageRequest } from '../../validation/paging';

/**
 * `/entities/<kind>[/{id}]` CRUD for each kind in `specs` (a router to mount at `/api/v1/entities`), registered by the operations the
 * OpenAPI document declares for it (`create-<kind>`, `list-<kind>`, ...): validate the body, call
 * the service, answer. A kind without specs has no routes (404).
 */
export function entityRoutes({ operations, specs, service, validator }: { operations: OperationIndex; specs: readonly ResourceSpec[]; service: EntityService; validator: EntityValidator }): Router {
  // Mounted at `/api/v1/entities` (app.ts): other requests skip every entity route at once.
  const { router, handle } = operationRouter(operations, '/api/v1/entities');

  // Ids are UUIDs; anything else cannot exist, and must not reach the database as a uuid cast.
  const idOf = (req: Request, spec: ResourceSpec): string => {
    const id = String(req.params.id);
    if (!isUuid(id)) throw new ApiError('not_found', `No ${spec.kind} entity with id ${id} in this organization.`);
    return id.toLowerCase();
  };
  const actorOf = (res: Response) => {
    const identity = identityOf(res);
    return { orgId: identity.org.id, tokenId: identity.tokenId, userId: identity.userId };
  };
  const queryString = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);
  // The entity validator checks bodies against the same `entityJsonSchema` the document holds, plus its own rules.
  const own = { validateBody: false };

  for (const spec of specs) {
    handle(
      `create-${spec.kind}`,
      async (req, res) => {
        const data = validator.create(spec, req.body);
        const entity = await service.create(actorOf(res), spec, data);
        res.status(201).location(`${req.baseUrl}/${spec.kind}/${entity.id}`).json(entity);
      },
      own,
    );

    handle(`list-${spec.kind}`, async (req, res) => {
      const ids = idsFilter(req.query.id);
      // An `?id=` list (at most 100 ids) fits one page by default, so a reader of many ids gets them all at once.
      const page = parsePageRequest(req.query, { defaultLimit: req.query.id !== undefined ? MAX_LIST_IDS : undefined });
      res.json(await service.list(actorOf(res), spec, { slug: queryString(req.query.slug), type: queryString(req.query.type), ...(ids && { ids }) }, page));
    });

    handle(`get-${spec.kind}`, async (req, res) => {
      res.json(await service.get(actorOf(res), spec, idOf(req, spec)));
    });

    handle(
      `update-${spec.kind}`,
      async (req, res) => {
        const id = idOf(req, spec);
        const patch = validator.update(spec, req.body);
        res.json(await service.update(actorOf(res), spec, id, patch));
      },
      own,
    );

    handle(`delete-${spec.kind}`, async (req, res) => {
      await service.remove(actorOf(res), spec, idOf(req, spec));
      res.status(204).end();
    });
  }

  return router;
}

/** Most ids one `?id=` list may name (the provider reads up to Terraform's parallelism at once). */
export const MAX_LIST_IDS = 100;
/**
 * `?id=a,b&id=c` as lowercased ids; undefined when absent. Every value must be a UUID (422 at
 * `/id` otherwise, empty ones included: a typo must not read as "no such entity"), and at most
 * MAX_LIST_IDS values may be given, repeats counted.
 */
function idsFilter(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [])).map((p) => p.trim().toLowerCase());
  if (parts.length > MAX_LIST_IDS) {
    throw new ApiError('validation_failed', `At most ${MAX_LIST_IDS} ids per list request.`, [{ pointer: '/id', detail: `${parts.length} ids; the limit is ${MAX_LIST_IDS}` }]);
  }
  const bad = parts.find((id) => !isUuid(id));
  if (bad !== undefined) {
    throw new ApiError('validation_failed', `id: ${JSON.stringify(bad.slice(0, 100))} is not a UUID.`, [{ pointer: '/id', detail: 'must be UUIDs' }]);
  }
  return [...new Set(parts)];
}
