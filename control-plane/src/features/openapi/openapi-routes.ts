import { Router } from 'express';
// Bundled into dist/server.js, so the running server needs no path to the schemas package.
import openApiDocument from '../../../../schemas/generated/openapi.json' with { type: 'json' };

/** `GET /openapi.json`: the generated OpenAPI 3.1 document of this API. */
export function openApiRoutes(): Router {
  const router = Router();
  const body = JSON.stringify(openApiDocument);
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(body);
  });
  return router;
}
