import { Router } from 'express';
import { botTokenCreateJsonSchema, userCreateJsonSchema, userTokenCreateJsonSchema, userUpdateJsonSchema } from '@opensym/schemas';
import type { Role } from '../auth/token-store';
import { identityOf } from '../auth/auth-middleware';
import type { TokenService } from '../auth/token-service';
import { compileBodyValidator, invalid } from '../../validation/json-body';
import type { UserCreate, UserPatch, UserService } from './user-service';
import { parsePageRequest } from '../../validation/paging';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** First value of a query parameter given once or repeated. */
export function queryString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

/** `/users[/:id]` CRUD, `/users/:id/tokens`, and `/tokens` for bot tokens: validate, call a service, answer. */
export function userRoutes({ users, tokens }: { users: UserService; tokens: TokenService }): Router {
  const validCreate = compileBodyValidator<UserCreate>(userCreateJsonSchema);
  const validPatch = compileBodyValidator<UserPatch>(userUpdateJsonSchema);
  const validUserToken = compileBodyValidator<{ name?: string }>(userTokenCreateJsonSchema);
  const validBotToken = compileBodyValidator<{ name: string; role: Role }>(botTokenCreateJsonSchema);
  const router = Router();

  router.post('/users', async (req, res) => {
    const user = await users.create(identityOf(res), validCreate(req.body));
    res.status(201).location(`${req.baseUrl}/users/${user.id}`).json(user);
  });
  router.get('/users', async (req, res) => {
    res.json(await users.list(identityOf(res), { email: queryString(req.query.email) }, parsePageRequest(req.query)));
  });
  router.get('/users/:id', async (req, res) => {
    res.json(await users.get(identityOf(res), String(req.params.id)));
  });
  router.patch('/users/:id', async (req, res) => {
    res.json(await users.update(identityOf(res), String(req.params.id), validPatch(req.body)));
  });
  router.delete('/users/:id', async (req, res) => {
    await users.remove(identityOf(res), String(req.params.id));
    res.status(204).end();
  });
  router.post('/users/:id/tokens', async (req, res) => {
    // The name is optional: `{}` (or no body) issues a token named after the user.
    const issued = await tokens.issueUserToken(identityOf(res), String(req.params.id), validUserToken(req.body ?? {}));
    res.status(201).location(`${req.baseUrl}/tokens/${issued.id}`).set('cache-control', 'no-store').json(issued);
  });

  router.post('/tokens', async (req, res) => {
    const issued = await tokens.issueBotToken(identityOf(res), validBotToken(req.body));
    res.status(201).location(`${req.baseUrl}/tokens/${issued.id}`).set('cache-control', 'no-store').json(issued);
  });
  router.get('/tokens', async (req, res) => {
    const userId = queryString(req.query.user_id);
    // A user id is a UUID; anything else is a mistake to report, not a filter that matches nothing.
    if (userId !== undefined && !uuidPattern.test(userId)) throw invalid([{ pointer: '/user_id', detail: 'must be a UUID' }]);
    res.json(await tokens.list(identityOf(res), { userId }, parsePageRequest(req.query)));
  });
  router.delete('/tokens/:id', async (req, res) => {
    await tokens.revoke(identityOf(res), String(req.params.id));
    res.status(204).end();
  });
  return router;
}
