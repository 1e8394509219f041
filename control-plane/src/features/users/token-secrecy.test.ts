// Issued tokens are shown once, in the answer to the request that issued them, and nowhere else:
// not in logs (at the most verbose level), audit events, listings or later answers.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import supertest from 'supertest';
import { composeControlPlane } from '../../compose';
import { generateToken, hashToken } from '../auth/auth-service';
import { createTokenStore } from '../auth/token-store';
import { createLogger } from '../../logging/logger';

describe('token secrecy (PGlite)', () => {
  it('keeps issued tokens out of logs, audit events and listings', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const cp = await composeControlPlane({ location: { memory: true }, logger: createLogger('trace', sink) });
    try {
      const admin = generateToken();
      await createTokenStore(cp.db.prisma).createOrganizationWithToken({ slug: 'secrecy', tokenName: 'admin', role: 'admin', tokenHash: hashToken(admin) });
      const api = supertest(cp.app);
      const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
      const user = await api.post('/api/v1/users').set(auth(admin)).send({ email: 's@example.com' });
      const userToken = (await api.post(`/api/v1/users/${user.body.id}/tokens`).set(auth(admin)).send({})).body.token as string;
      const botToken = (await api.post('/api/v1/tokens').set(auth(admin)).send({ name: 'bot', role: 'member' })).body.token as string;
      assert.match(userToken, /^sym_/);
      assert.match(botToken, /^sym_/);
      await api.get('/api/v1/whoami').set(auth(userToken));
      await api.get('/api/v1/whoami').set(auth(botToken));
      await api.get('/api/v1/tokens').set(auth(`${userToken}x`)); // a failing attempt is logged too
      const seen = [
        ...lines,
        JSON.stringify((await api.get('/api/v1/audit?limit=200').set(auth(admin))).body),
        JSON.stringify((await api.get('/api/v1/tokens').set(auth(admin))).body),
        JSON.stringify((await api.get('/api/v1/whoami').set(auth(userToken))).body),
      ].join('\n');
      assert.ok(lines.length >= 6, 'requests were logged');
      for (const secret of [admin, userToken, botToken]) assert.ok(!seen.includes(secret), 'a token leaked');
    } finally {
      await cp.db.close();
    }
  });
});
