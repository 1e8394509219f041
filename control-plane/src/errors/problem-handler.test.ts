import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import supertest from 'supertest';
import { createApp } from '../app';
import { createEntityValidator } from '../features/entities/entity-validator';
import type { EntityService } from '../features/entities/entity-service';
import type { TokenIdentity } from '../features/auth/token-store';
import { createLogger } from '../logging/logger';
import { resourceByKind } from '@opensym/schemas';

const identity: TokenIdentity = { tokenId: 't', role: 'admin', org: { id: 'o', slug: 'o' }, lastUsedAt: null, userId: null };

describe('problem handler', () => {
  it('turns unexpected errors into a detail-free 500, logs them, and never logs the token', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const specs = [resourceByKind('runtimes')!];
    const broken = {
      list: async () => {
        throw new Error('secret internals: db password=hunter2');
      },
    } as unknown as EntityService;
    const app = createApp({
      logger: createLogger('info', sink),
      specs,
      auth: { authenticate: async () => identity },
      entities: broken,
      validator: createEntityValidator(specs, { checkSource: async () => assert.fail('runtimes have no code to check') }),
      ping: async () => {},
    });
    const res = await supertest(app).get('/api/v1/entities/runtimes').set('Authorization', 'Bearer sym_supersecret');
    assert.equal(res.status, 500);
    assert.equal(res.body.code, 'internal');
    assert.ok(!JSON.stringify(res.body).includes('hunter2'));
    const log = lines.join('');
    assert.match(log, /unhandled error/);
    assert.match(log, /"status":500/);
    assert.ok(!log.includes('sym_supersecret'));
  });

  it('reports an unavailable database on /healthz as 503', async () => {
    const specs = [resourceByKind('runtimes')!];
    const app = createApp({
      logger: createLogger('silent'),
      specs,
      auth: { authenticate: async () => identity },
      entities: {} as EntityService,
      validator: createEntityValidator(specs, { checkSource: async () => assert.fail('runtimes have no code to check') }),
      ping: async () => {
        throw new Error('down');
      },
    });
    const res = await supertest(app).get('/healthz');
    assert.equal(res.status, 503);
    assert.equal(res.body.code, 'unavailable');
  });
});
