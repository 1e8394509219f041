// Operation routers behind `ownOperationsOnly`: entered for their own documented paths only, once
// `allowedMethods` has matched the request to the document; ungated when nothing matched it yet.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express, { type RequestHandler } from 'express';
import supertest from 'supertest';
import { allowedMethods, pathMethodsOf } from './allowed-methods';
import { operationRouter, operationsOf, type OpenApiDocument } from './operations';
import { ownOperationsOnly } from './operation-gate';

const document: OpenApiDocument = {
  paths: {
    '/api/v1/things': { get: { operationId: 'list-things' } },
    '/api/v1/things/{id}': { get: { operationId: 'get-thing' } },
    '/api/v1/others': { get: { operationId: 'list-others' } },
  },
  components: { schemas: {} },
};
const operations = operationsOf(document);

/** An operation router whose every layer notes that it was entered. */
function countedRouter(name: string, ids: string[], entered: string[]): express.Router {
  const { router, handle } = operationRouter(operations);
  router.use((_req, _res, next) => (entered.push(name), next()));
  for (const id of ids) handle(id, (req, res) => res.json({ id, params: req.params }));
  return router;
}

function appWith(gated: boolean, entered: string[]): express.Express {
  const gate = gated ? ownOperationsOnly : (router: RequestHandler) => router;
  const app = express();
  app.use(allowedMethods(pathMethodsOf(document)));
  const api = express.Router();
  api.use(gate(countedRouter('things', ['list-things', 'get-thing'], entered)));
  api.use(gate(countedRouter('others', ['list-others'], entered)));
  app.use('/api/v1', api);
  app.use((_req, res) => res.status(404).json({ missing: true }));
  return app;
}

describe('ownOperationsOnly', () => {
  it('enters only the router that owns the matched path, which answers as without the gate', async () => {
    for (const gated of [true, false]) {
      const entered: string[] = [];
      const res = await supertest(appWith(gated, entered)).get('/api/v1/others');
      assert.deepEqual(res.body, { id: 'list-others', params: {} });
      assert.deepEqual(entered, gated ? ['others'] : ['things', 'others']);
    }
    const entered: string[] = [];
    const res = await supertest(appWith(true, entered)).get('/API/V1/things/a%20b/');
    assert.deepEqual(res.body, { id: 'get-thing', params: { id: 'a b' } });
    assert.deepEqual(entered, ['things']);
  });

  it('enters no router for a path the document does not have', async () => {
    const entered: string[] = [];
    const res = await supertest(appWith(true, entered)).get('/api/v1/things/a/b');
    assert.equal(res.status, 404);
    assert.deepEqual(entered, []);
  });

  it('leaves the router ungated where no method check matched the request first', async () => {
    const entered: string[] = [];
    const app = express();
    app.use('/api/v1', ownOperationsOnly(countedRouter('others', ['list-others'], entered)));
    assert.deepEqual((await supertest(app).get('/api/v1/others')).body, { id: 'list-others', params: {} });
    assert.deepEqual(entered, ['others']);
  });

  it('returns a handler that is not an operation router as it is, and keeps a router listable', () => {
    const plain: RequestHandler = (_req, _res, next) => next();
    assert.equal(ownOperationsOnly(plain), plain);
    const router = countedRouter('things', ['list-things'], []);
    assert.equal((ownOperationsOnly(router) as unknown as { stack: unknown }).stack, router.stack);
  });
});
