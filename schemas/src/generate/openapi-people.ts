/**
 * Users, API tokens and the audit trail: request-body JSON Schemas (the control plane validates
 * with them) and their part of the OpenAPI document, merged in by `openApiDocument`.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { asJsonSchema } from './as-json-schema';
import type { JsonSchema } from './entity-json-schema';
import { idLinks } from './links';
import { pageParameters, pageSchema } from './openapi-paging';

/** Roles of users and tokens. */
export const roles = ['admin', 'member', 'guest'] as const;

/** One of {@link roles}. */
export type Role = (typeof roles)[number];

const identitiesSchema = {
  type: 'object',
  description: 'The person\'s id in each service, e.g. `{"slack": "U123", "pagerduty": "PABC"}`.',
  propertyNames: { pattern: '^[a-z][a-z0-9_]{0,62}$' },
  additionalProperties: { type: 'string', minLength: 1, maxLength: 256 },
  maxProperties: 32,
} as const;

const email = { type: 'string', format: 'email', maxLength: 320, description: 'Stored lowercased; unique in the organization.' } as const;
const role = {
  type: 'string',
  enum: roles,
  description: 'admin changes configuration; member reads it, requests and approves; guest only requests access (on flows that allow guests) and reads its own requests.',
} as const;
const tokenName = { type: 'string', minLength: 1, maxLength: 200, description: 'What the token is for.' } as const;

const userCreate = {
  type: 'object',
  properties: { email, role: { ...role, default: 'member' }, identities: identitiesSchema },
  required: ['email'],
  additionalProperties: false,
} as const;

const userUpdate = {
  type: 'object',
  properties: { email, role, identities: { anyOf: [identitiesSchema, { type: 'null' }] } },
  additionalProperties: false,
} as const;

const userTokenCreate = {
  type: 'object',
  properties: { name: tokenName },
  additionalProperties: false,
} as const;

const botTokenCreate = {
  type: 'object',
  properties: { name: tokenName, role },
  required: ['name', 'role'],
  additionalProperties: false,
} as const;

/** A user as the API returns it (`as const`, for schemas that embed it and for `FromSchema`). */
export const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    email: { type: 'string' },
    role: { type: 'string', enum: roles },
    identities: { type: 'object', additionalProperties: { type: 'string' } },
    created_at: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'email', 'role', 'identities', 'created_at'],
} as const;

const token = {
  type: 'object',
  description: 'An API token; the secret itself is shown only once, when it is issued.',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    role: { type: 'string', enum: roles, description: "For a user token, the user's current role." },
    user_id: { type: ['string', 'null'], format: 'uuid', description: 'The user the token acts for; null for a bot token.' },
    created_at: { type: 'string', format: 'date-time' },
    last_used_at: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'name', 'role', 'user_id', 'created_at', 'last_used_at'],
} as const;

const issuedToken = {
  type: 'object',
  description: 'A token as issued: its record plus the secret, returned this once and never again.',
  properties: { ...token.properties, token: { type: 'string', description: 'The bearer token (`sym_...`).' } },
  required: [...token.required, 'token'],
} as const;

const auditEvent = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    type: { type: 'string', description: 'Dotted name: `entity.created`, `user.updated`, `request.approved`, ...' },
    at: { type: 'string', format: 'date-time' },
    actor: {
      type: 'object',
      properties: { user_id: { type: ['string', 'null'] }, token_id: { type: ['string', 'null'] } },
      required: ['user_id', 'token_id'],
    },
    entity_id: { type: ['string', 'null'] },
    request_id: { type: ['string', 'null'] },
    data: { type: 'object' },
  },
  required: ['id', 'type', 'at', 'actor', 'entity_id', 'request_id', 'data'],
} as const;

/** `POST /api/v1/users` body. */
export const userCreateJsonSchema: JsonSchema = asJsonSchema(userCreate);
/** `PATCH /api/v1/users/{id}` body: any subset; `identities` is replaced as a whole (`null` clears it). */
export const userUpdateJsonSchema: JsonSchema = asJsonSchema(userUpdate);
/** `POST /api/v1/users/{id}/tokens` body: the token acts for the user, with the user's role. */
export const userTokenCreateJsonSchema: JsonSchema = asJsonSchema(userTokenCreate);
/** `POST /api/v1/tokens` body: a bot token (acts for no user). */
export const botTokenCreateJsonSchema: JsonSchema = asJsonSchema(botTokenCreate);
/** A user as the API returns it. */
export const userJsonSchema: JsonSchema = asJsonSchema(userSchema);

/** `User`: a user as the API returns it (derived from its schema, as the other types here). */
export type User = FromSchema<typeof userSchema>;
/** `User.create` after validation: ajv has filled the default `role`. */
export type UserCreateBody = FromSchema<typeof userCreate, { keepDefaultedPropertiesOptional: false }>;
/** `User.update`: absent keeps, present replaces, `identities: null` clears. */
export type UserUpdateBody = FromSchema<typeof userUpdate>;
/** `UserToken.create`. */
export type UserTokenCreateBody = FromSchema<typeof userTokenCreate>;
/** `BotToken.create`. */
export type BotTokenCreateBody = FromSchema<typeof botTokenCreate>;
/** `Token`: a token as listed, without its secret. */
export type Token = FromSchema<typeof token>;
/** `IssuedToken`: a token with its secret, as issued. */
export type IssuedToken = FromSchema<typeof issuedToken>;
/** `AuditEvent`: an audit event as the API returns it. */
export type AuditEvent = FromSchema<typeof auditEvent>;

/** Component schemas added by this module. */
export const peopleComponentSchemas: Record<string, JsonSchema> = {
  User: userJsonSchema,
  'User.create': userCreateJsonSchema,
  'User.update': userUpdateJsonSchema,
  'UserToken.create': userTokenCreateJsonSchema,
  'BotToken.create': botTokenCreateJsonSchema,
  Token: asJsonSchema(token),
  IssuedToken: asJsonSchema(issuedToken),
  AuditEvent: asJsonSchema(auditEvent),
};

type Ref = (name: string) => { $ref: string };

/** Paths of the users, tokens and audit endpoints; `problem` refers to a shared problem response. */
export function peoplePaths(problem: Ref): Record<string, unknown> {
  const json = (name: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } });
  const list = (name: string) => ({ 'application/json': { schema: pageSchema(`#/components/schemas/${name}`) } });
  const writeErrors = {
    '400': problem('BadRequest'),
    '401': problem('Unauthorized'),
    '403': problem('Forbidden'),
    '413': problem('PayloadTooLarge'),
    '415': problem('UnsupportedMediaType'),
    '422': problem('Unprocessable'),
  };
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  const query = (name: string, description: string, schema: JsonSchema = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
  return {
    '/api/v1/users': {
      get: {
        tags: ['users'],
        operationId: 'list-users',
        summary: 'List users (admin, member)',
        parameters: [query('email', 'Matches the email case-insensitively.'), ...pageParameters()],
        responses: {
          '200': { description: 'One page of the matching users, oldest first.', content: list('User') },
          '401': problem('Unauthorized'),
          '403': problem('Forbidden'),
          '422': problem('Unprocessable'),
        },
      },
      post: {
        tags: ['users'],
        operationId: 'create-user',
        summary: 'Create a user (admin)',
        requestBody: { required: true, content: json('User.create') },
        responses: {
          '201': { description: 'Created.', content: json('User'), links: idLinks(['get-user', 'update-user', 'delete-user', 'create-user-token']) },
          ...writeErrors,
          '409': problem('Conflict'),
        },
      },
    },
    '/api/v1/users/{id}': {
      parameters: [idParam],
      get: {
        tags: ['users'],
        operationId: 'get-user',
        summary: 'Get a user (admin, member; a guest sees its own user through whoami)',
        responses: { '200': { description: 'The user.', content: json('User') }, '401': problem('Unauthorized'), '403': problem('Forbidden'), '404': problem('NotFound') },
      },
      patch: {
        tags: ['users'],
        operationId: 'update-user',
        summary: 'Update a user (admin); `identities` is replaced as a whole; demoting the holder of the last admin token is refused (409 last_admin)',
        requestBody: { required: true, content: json('User.update') },
        responses: { '200': { description: 'The updated user.', content: json('User') }, ...writeErrors, '404': problem('NotFound'), '409': problem('Conflict') },
      },
      delete: {
        tags: ['users'],
        operationId: 'delete-user',
        summary: 'Delete a user and their tokens (admin); refused while the user has access requests, or holds the last admin token',
        responses: { '204': { description: 'Deleted.' }, '401': problem('Unauthorized'), '403': problem('Forbidden'), '404': problem('NotFound'), '409': problem('Conflict') },
      },
    },
    '/api/v1/users/{id}/tokens': {
      parameters: [idParam],
      post: {
        tags: ['tokens'],
        operationId: 'create-user-token',
        summary: "Issue a token that acts for the user, with the user's role (admin); the secret is returned once",
        requestBody: { required: false, content: json('UserToken.create') },
        responses: { '201': { description: 'Issued.', content: json('IssuedToken'), links: idLinks(['delete-token']) }, ...writeErrors, '404': problem('NotFound') },
      },
    },
    '/api/v1/tokens': {
      get: {
        tags: ['tokens'],
        operationId: 'list-tokens',
        summary: "List the organization's tokens, without secrets (admin)",
        parameters: [query('user_id', 'Only tokens acting for this user (a UUID, else 422).', { type: 'string', format: 'uuid' }), ...pageParameters()],
        responses: {
          '200': { description: 'One page of the tokens, oldest first.', content: list('Token') },
          '401': problem('Unauthorized'),
          '403': problem('Forbidden'),
          '422': problem('Unprocessable'),
        },
      },
      post: {
        tags: ['tokens'],
        operationId: 'create-bot-token',
        summary: 'Issue a bot token with a role (admin); the secret is returned once',
        requestBody: { required: true, content: json('BotToken.create') },
        responses: { '201': { description: 'Issued.', content: json('IssuedToken'), links: idLinks(['delete-token']) }, ...writeErrors },
      },
    },
    '/api/v1/tokens/{id}': {
      parameters: [idParam],
      delete: {
        tags: ['tokens'],
        operationId: 'delete-token',
        summary: "Revoke a token (admin); refused (409 last_admin) for the organization's last admin token",
        responses: { '204': { description: 'Revoked.' }, '401': problem('Unauthorized'), '403': problem('Forbidden'), '404': problem('NotFound'), '409': problem('Conflict') },
      },
    },
    '/api/v1/audit': {
      get: {
        tags: ['audit'],
        operationId: 'list-audit-events',
        summary: 'Audit events, newest first, paged with a cursor (admin, member)',
        parameters: [
          query('type', 'Exact type, or a prefix ending in `.*` (`request.*`).'),
          query('request_id', 'Events of this access request.', { type: 'string', format: 'uuid' }),
          query('entity_id', 'Events about this entity.', { type: 'string', format: 'uuid' }),
          query('actor', 'Acting user id, token id, or user email.'),
          query('since', 'Events at or after this time (RFC 3339).', { type: 'string', format: 'date-time' }),
          query('until', 'Events before this time (RFC 3339).', { type: 'string', format: 'date-time' }),
          ...pageParameters(),
          { ...query('cursor', 'Former name of `page_token`, still accepted (not together with it).'), deprecated: true },
        ],
        responses: {
          '200': {
            description: 'One page of events; `next_page_token` is null on the last page.',
            content: list('AuditEvent'),
          },
          '401': problem('Unauthorized'),
          '403': problem('Forbidden'),
          '422': problem('Unprocessable'),
        },
      },
    },
  };
}

/** Tags of this module's operations. */
export const peopleTags = [
  { name: 'users', description: 'People who request and approve access, with roles and identities.' },
  { name: 'tokens', description: 'API tokens: user tokens act for a user; bot tokens carry a role of their own.' },
  { name: 'audit', description: 'The audit trail.' },
];
