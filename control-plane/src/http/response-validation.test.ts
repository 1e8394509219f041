import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { validateResponses } from './response-validation';
import type { OpenApiDocument } from './operations';

const document: OpenApiDocument = {
  paths: {
    '/things/{id}': {
      get: {
        operationId: 'get-thing',
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': { $ref: '#/components/responses/NotFound' },
        },
      },
      delete: { operationId: 'delete-thing', responses: { '204': { description: 'Gone.' } } },
    },
  },
  components: {
    schemas: {
      Thing: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, at: { type: 'string', format: 'date-time' } }, required: ['id', 'at'] },
      Problem: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] },
    },
    responses: { NotFound: { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
  },
};

const id = '6f1c1c53-4a4e-4d5b-9a53-0c1e1e6b9b7a';

/** An app whose one route answers whatever the test asks for. */
function appAnswering(status: number, body: unknown, type = 'application/json') {
  const app = express();
  app.use(validateResponses(document, pino({ level: 'silent' })));
  app.get('/things/:id', (_req, res) => {
    res.status(status).type(type).send(JSON.stringify(body));
  });
  app.delete('/things/:id', (_req, res) => {
    res.status(204).end();
  });
  app.get('/elsewhere', (_req, res) => {
    res.status(418).json({ anything: true });
  });
  return app;
}

describe('validateResponses', () => {
  it('lets a documented status with a matching body through unchanged', async () => {
    const res = await request(appAnswering(200, { id, at: '2026-01-01T00:00:00Z' })).get(`/things/${id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { id, at: '2026-01-01T00:00:00Z' });
  });

  it('turns a body that does not match its schema into a 500 naming the operation and the field', async () => {
    const res = await request(appAnswering(200, { id, at: 5 })).get(`/things/${id}`);
    assert.equal(res.status, 500);
    assert.equal(res.body.code, 'response_schema_mismatch');
    assert.match(res.body.detail, /get-thing 200: \/at must be string/);
  });

  it('checks problem answers through the shared response components', async () => {
    assert.equal((await request(appAnswering(404, { code: 'not_found' }, 'application/problem+json')).get(`/things/${id}`)).status, 404);
    const res = await request(appAnswering(404, { title: 'no code' }, 'application/problem+json')).get(`/things/${id}`);
    assert.equal(res.status, 500);
    assert.match(res.body.detail, /get-thing 404: \/ must have required property 'code'/);
  });

  it('refuses a status the operation does not document', async () => {
    const res = await request(appAnswering(409, { code: 'conflict' })).get(`/things/${id}`);
    assert.equal(res.status, 500);
    assert.match(res.body.detail, /status 409 is not documented/);
  });

  it('passes bodiless answers and paths the document does not know', async () => {
    assert.equal((await request(appAnswering(200, {})).delete(`/things/${id}`)).status, 204);
    assert.equal((await request(appAnswering(200, {})).get('/elsewhere')).status, 418);
  });
});
