import type { Router } from 'express';
import { operationRouter, type OperationIndex } from '../../http/operations';
// Bundled into dist/server.js, so the running server needs no path to the schemas package.
import openApiDocument from '../../../../schemas/generated/openapi.json' with { type: 'json' };

/** `GET /openapi.json`: the generated OpenAPI 3.1 document of this API. */
export function openApiRoutes(operations: OperationIndex): Router {
  const { router, handle } = operationRouter(operations);
  const body = JSON.stringify(openApiDocument);
  handle('openapi', (_req, res) => {
    res.type('application/json').send(body);
  });
  return router;
}
