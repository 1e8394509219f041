import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express from 'express';
import supertest from 'supertest';
import { onlyUnder } from './path-prefix';

describe('onlyUnder: a router that declares full paths, tried only under its prefix', () => {
  const seen: string[] = [];
  const router = express.Router();
  router.use((req, _res, next) => (seen.push(req.path), next()));
  router.get('/console', (_req, res) => res.send('root'));
  router.get('/console/page', (_req, res) => res.send('page'));
  const app = express();
  app.use(onlyUnder('/console', router));
  app.get('/consoles', (_req, res) => res.send('elsewhere'));
  app.use((_req, res) => res.status(404).send('none'));

  it('serves its paths as declared, the prefix itself included', async () => {
    assert.equal((await supertest(app).get('/console/page')).text, 'page');
    assert.equal((await supertest(app).get('/console')).text, 'root');
    assert.deepEqual(seen.splice(0), ['/console/page', '/console']);
  });

  it('is not entered for other paths, even ones that share the prefix text', async () => {
    assert.equal((await supertest(app).get('/consoles')).text, 'elsewhere');
    assert.equal((await supertest(app).get('/api/v1/whoami')).status, 404);
    assert.deepEqual(seen, []);
  });
});
