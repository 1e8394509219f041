import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Router } from 'express';
import pino from 'pino';
import { entityResources } from '@opensym/schemas';
import { createApp, type AppDeps } from '../app';
import { slackRoutes } from '../features/slack/slack-routes';
import { expressPath, operationRouter, operationsOf, type OpenApiDocument } from './operations';
import openApiDocument from '../../../schemas/generated/openapi.json' with { type: 'json' };

const document = openApiDocument as OpenApiDocument;
const verbs = ['get', 'put', 'post', 'delete', 'patch'];

// Routes only register here; no handler runs, so the services are empty stand-ins.
const stub = {} as never;
const fullDeps: AppDeps = {
  logger: pino({ level: 'silent' }),
  specs: entityResources(),
  auth: stub,
  entities: stub,
  validator: stub,
  checkSource: stub,
  ping: async () => undefined,
  people: { users: stub, tokens: stub, audit: stub },
  requests: stub,
  logDelivery: stub,
  console: stub,
  slack: (operations) => slackRoutes({ operations, workspaces: stub, inbound: stub, replays: stub, logger: pino({ level: 'silent' }) }),
};

// The web console (features/console) serves HTML pages for people under /console: it is not part
// of the JSON API, so the OpenAPI document does not describe it and these routes are left out here.
const consolePrefix = '/console';
const isConsole = (route: string) => route.split(' ')[1]!.startsWith(consolePrefix);

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  /** The path a router or middleware is mounted at (`/` when none). */
  rawPath?: unknown;
  handle?: { stack?: Layer[] };
}

/** Every `METHOD path` Express routes, walking mounted routers (whole paths: their mounts included). */
function expressRoutes(stack: Layer[], mount = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods)
        .filter((m) => layer.route!.methods[m] && m !== '_all')
        .map((m) => `${m.toUpperCase()} ${mount}${layer.route!.path}`);
    }
    const at = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    return layer.handle?.stack ? expressRoutes(layer.handle.stack, mount + at) : [];
  });
}

/** Every documented operation as Express spells it, from the root. */
function documentedRoutes(): string[] {
  return Object.entries(document.paths).flatMap(([template, item]) => verbs.filter((m) => m in item).map((m) => `${m.toUpperCase()} ${expressPath(template, '')}`));
}

const sorted = (xs: string[]) => [...xs].sort();

describe('Express routes and the OpenAPI document', () => {
  it('every route is documented and every documented operation has a route', () => {
    const app = createApp(fullDeps) as unknown as { router: { stack: Layer[] } };
    const all = expressRoutes(app.router.stack);
    assert.ok(all.includes('GET /console/requests/:id'), 'the console is mounted, so leaving it out below means something');
    const routes = all.filter((r) => !isConsole(r));
    assert.equal(new Set(routes).size, routes.length, 'a route is registered twice');
    const documented = new Set(documentedRoutes());
    const served = new Set(routes);
    assert.deepEqual(sorted(routes.filter((r) => !documented.has(r))), [], 'routes the OpenAPI document does not describe');
    assert.deepEqual(sorted([...documented].filter((r) => !served.has(r))), [], 'documented operations without a route');
  });

  it('the comparison sees an undocumented route and a missing one', () => {
    // The check above must be able to fail: a plain route next to the app, and one operation fewer.
    const extra = Router();
    extra.get('/secret', () => undefined);
    const routes = [...expressRoutes((createApp(fullDeps) as unknown as { router: { stack: Layer[] } }).router.stack), ...expressRoutes([{ handle: extra as unknown as { stack: Layer[] } }])];
    assert.ok(routes.includes('GET /secret'));
    // A router mounted at a prefix is read with it, so a route under the wrong mount shows.
    const mounted = Router();
    mounted.use('/v2', extra);
    assert.deepEqual(expressRoutes([{ handle: mounted as unknown as { stack: Layer[] } }]), ['GET /v2/secret']);
    assert.ok(!new Set(documentedRoutes()).has('GET /secret'));
    const withoutAudit = createApp({ ...fullDeps, people: undefined }) as unknown as { router: { stack: Layer[] } };
    assert.ok(!expressRoutes(withoutAudit.router.stack).includes('GET /api/v1/audit'));
  });

  it('entity routes sit under one /entities mount of the API router, so other requests pass them with one check', () => {
    const app = createApp(fullDeps) as unknown as { router: { stack: Layer[] } };
    const api = app.router.stack.find((layer) => layer.rawPath === '/api/v1')!.handle!.stack!;
    const mounts = api.filter((layer) => layer.rawPath === '/entities');
    assert.equal(mounts.length, 1);
    assert.ok(expressRoutes(mounts, '/api/v1').includes('POST /api/v1/entities/flows'));
    const elsewhere = expressRoutes(
      api.filter((layer) => layer.rawPath !== '/entities'),
      '/api/v1',
    );
    assert.deepEqual(
      elsewhere.filter((route) => route.includes('/entities/')),
      [],
    );
  });

  it('operationIds are unique and a route may only name a documented one', () => {
    const ops = operationsOf(document);
    assert.equal(ops.get('create-request')?.template, '/api/v1/events/request');
    assert.equal(ops.get('approve-request')?.bodyRequired, false);
    assert.throws(() => operationRouter(ops).handle('no-such-operation', () => undefined), /No operation no-such-operation/);
    const twice: OpenApiDocument = { paths: { '/a': { get: { operationId: 'x' } }, '/b': { get: { operationId: 'x' } } }, components: { schemas: {} } };
    assert.throws(() => operationsOf(twice), /used twice/);
  });

  it('maps document templates to Express paths', () => {
    assert.equal(expressPath('/api/v1/requests/{id}/approve', '/api/v1'), '/requests/:id/approve');
    assert.equal(expressPath('/healthz', ''), '/healthz');
  });
});
