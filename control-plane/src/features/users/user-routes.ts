import type { Router } from 'express';
import { identityOf } from '../auth/auth-middleware';
import type { TokenService } from '../auth/token-service';
import { operationRouter, type OperationIndex } from '../../http/operations';
import { invalid } from '../../validation/json-body';
import type { UserService } from './user-service';
import { parsePageRequest } from '../../validation/paging';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** First value of a query parameter given once or repeated. */
export function queryString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

/** `/users[/:id]` CRUD, `/users/:id/tokens`, and `/tokens` for bot tokens: validate, call a service, answer. */
export function userRoutes({ operations, users, tokens }: { operations: OperationIndex; users: UserService; tokens: TokenService }): Router {
  const { router, handle } = operationRouter(operations);

  handle('create-user', async (req, res, body) => {
    const user = await users.create(identityOf(res), body);
    res.status(201).location(`${req.baseUrl}/users/${user.id}`).json(user);
  });
  handle('list-users', async (req, res) => {
    res.json(await users.list(identityOf(res), { email: queryString(req.query.email) }, parsePageRequest(req.query)));
  });
  handle('get-user', async (req, res) => {
    res.json(await users.get(identityOf(res), String(req.params.id)));
  });
  handle('update-user', async (req, res, body) => {
    res.json(await users.update(identityOf(res), String(req.params.id), body));
  });
  handle('delete-user', async (req, res) => {
    await users.remove(identityOf(res), String(req.params.id));
    res.status(204).end();
  });
  handle('create-user-token', async (req, res, body) => {
    // The name is optional: `{}` (or no body) issues a token named after the user.
    const issued = await tokens.issueUserToken(identityOf(res), String(req.params.id), body);
    res.status(201).location(`${req.baseUrl}/tokens/${issued.id}`).set('cache-control', 'no-store').json(issued);
  });

  handle('create-bot-token', async (req, res, body) => {
    const issued = await tokens.issueBotToken(identityOf(res), body);
    res.status(201).location(`${req.baseUrl}/tokens/${issued.id}`).set('cache-control', 'no-store').json(issued);
  });
  handle('list-tokens', async (req, res) => {
    const userId = queryString(req.query.user_id);
    // A user id is a UUID; anything else is a mistake to report, not a filter that matches nothing.
    if (userId !== undefined && !uuidPattern.test(userId)) throw invalid([{ pointer: '/user_id', detail: 'must be a UUID' }]);
    res.json(await tokens.list(identityOf(res), { userId }, parsePageRequest(req.query)));
  });
  handle('delete-token', async (req, res) => {
    await tokens.revoke(identityOf(res), String(req.params.id));
    res.status(204).end();
  });
  return router;
}
