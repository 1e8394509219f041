/**
 * The OpenAPI 3.1 document of the control plane API (`GET /api/v1/openapi.json`,
 * `schemas/generated/openapi.json`). Entity bodies come from `entityJsonSchema`.
 */
import type { ResourceSpec } from '../model';
import { entityJsonSchema } from './entity-json-schema';
import type { JsonSchema } from './entity-json-schema';
import type { FromSchema } from 'json-schema-to-ts';
import { asJsonSchema } from './as-json-schema';
import { peopleComponentSchemas, peoplePaths, peopleTags, roles, userSchema } from './openapi-people';
import { requestComponentSchemas, requestPaths, requestTags } from './openapi-requests';
import { logDeliveryComponentSchemas, logDeliveryPaths } from './openapi-log-delivery';
import { implementationCheckComponentSchemas, implementationCheckPaths } from './openapi-implementation-check';
import { slackPaths, slackTags } from './openapi-slack';
import { idLinks } from './links';
import { pageParameters, pageSchema } from './openapi-paging';
import { problemCodes } from '../problem-codes';

/** RFC 9457 problem details as the control plane renders them. */
export const problemJsonSchema: JsonSchema = {
  type: 'object',
  description: 'An error, as application/problem+json (RFC 9457).',
  properties: {
    type: { type: 'string', description: 'URI naming the problem type.' },
    title: { type: 'string', description: 'Short summary of the problem type.' },
    status: { type: 'integer', description: 'HTTP status code.' },
    code: {
      type: 'string',
      description: 'Stable machine-readable code.',
      enum: [...problemCodes],
    },
    detail: { type: 'string', description: 'Explanation specific to this occurrence.' },
    requests: {
      type: 'array',
      description: '`still_referenced` on an entity delete: the first live access requests (oldest first, at most 10) that still need the entity.',
      items: {
        type: 'object',
        properties: { id: { type: 'string', format: 'uuid' }, state: { type: 'string' } },
        required: ['id', 'state'],
      },
    },
    request_count: { type: 'integer', description: '`still_referenced` on an entity delete: how many live access requests still need the entity.' },
    errors: {
      type: 'array',
      description: 'One entry per offending field.',
      items: {
        type: 'object',
        properties: {
          pointer: { type: 'string', description: 'JSON Pointer into the request body.' },
          detail: { type: 'string' },
        },
        required: ['pointer', 'detail'],
      },
    },
  },
  required: ['type', 'title', 'status', 'code'],
};

const whoami = {
  type: 'object',
  properties: {
    org: {
      type: 'object',
      properties: { id: { type: 'string' }, slug: { type: 'string' } },
      required: ['id', 'slug'],
    },
    token: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        role: { type: 'string', enum: roles },
        user_id: { type: ['string', 'null'], description: 'The user the token acts for; null for a bot token.' },
      },
      required: ['id', 'role'],
    },
    user: {
      description: 'The user the token acts for (null for a bot token).',
      anyOf: [userSchema, { type: 'null' }],
    },
  },
  required: ['org', 'token'],
} as const;

/** Body of `GET /api/v1/whoami`. */
export const whoamiJsonSchema: JsonSchema = asJsonSchema(whoami);
/** `Whoami`: the `GET /whoami` answer (derived from its schema). */
export type Whoami = FromSchema<typeof whoami>;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const problemResponses = {
  BadRequest: problem(
    'The body is not valid JSON, or its Content-Encoding (gzip, deflate, br) cannot decode it (`malformed_json`); or the `Idempotency-Key` header is not a valid key (`invalid_idempotency_key`).',
  ),
  Unauthorized: problem('Missing or unknown token.'),
  Forbidden: problem("The token's role may not do this."),
  NotFound: problem('No such entity in this organization.'),
  Conflict: problem(
    'The name is taken, the entity is still referenced (by other entities, or by live access requests: `requests`, `request_count`), the request is not in a state that allows this step, the change would remove the last admin token (`last_admin`), or the request first sent with this `Idempotency-Key` is still running (`idempotency_key_in_flight`, with `Retry-After`).',
  ),
  PayloadTooLarge: problem('The body is over 1 MiB.'),
  UnsupportedMediaType: problem('The body is not application/json, or its Content-Encoding is not identity, gzip, deflate or br.'),
  Unprocessable: problem(
    'Validation failed (a string holding U+0000, a body nested deeper than 64 levels, and bad query parameters included), or a referenced entity does not exist; or an `Idempotency-Key` already used with another request (`idempotency_key_reused`).',
  ),
  Unavailable: problem('The server is not ready: the problem lists each failing check (`/checks/<name>`).'),
  SlackUnauthorized: problem('The Slack request signature is missing, wrong, older than 5 minutes or already used, or no `slack` integration has the team id (`unauthorized`).'),
};

const ref = (name: keyof typeof problemResponses | string) => ({ $ref: `#/components/responses/${name}` });

const json = (schemaName: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } });

function entityPaths(spec: ResourceSpec): Record<string, unknown> {
  const kind = spec.kind;
  const tag = kind;
  const identity = spec.identity;
  const slugMeaning = identity.by === 'path' ? 'path' : identity.by === 'slug' ? identity.slugFrom.join('` or `') : 'name';
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  return {
    [`/api/v1/entities/${kind}`]: {
      get: {
        tags: [tag],
        operationId: `list-${kind}`,
        summary: `List ${kind} (admin, member)`,
        parameters: [
          { name: 'slug', in: 'query', required: false, description: `Matches \`${slugMeaning}\` case-insensitively.`, schema: { type: 'string' } },
          { name: 'type', in: 'query', required: false, description: 'Matches `type` exactly.', schema: { type: 'string' } },
          {
            name: 'id',
            in: 'query',
            required: false,
            description:
              'Only these entities: ids separated by commas, or the parameter repeated; at most 100, each a UUID (422 at `/id` otherwise). Ids that name nothing are left out of the answer.',
            schema: { type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 100 },
            style: 'form',
            explode: true,
          },
          ...pageParameters('default 50; with `id`, 100, so every listed id fits one page'),
        ],
        responses: {
          '200': {
            description: 'One page of the matching entities, oldest first.',
            content: { 'application/json': { schema: pageSchema(`#/components/schemas/${kind}.entity`) } },
          },
          '401': ref('Unauthorized'),
          '403': ref('Forbidden'),
          '422': ref('Unprocessable'),
        },
      },
      post: {
        tags: [tag],
        operationId: `create-${kind}`,
        summary: `Create one of ${kind} (admin)`,
        requestBody: { required: true, content: json(`${kind}.create`) },
        responses: {
          '201': { description: 'Created.', content: json(`${kind}.entity`), links: idLinks([`get-${kind}`, `update-${kind}`, `delete-${kind}`]) },
          '400': ref('BadRequest'),
          '401': ref('Unauthorized'),
          '403': ref('Forbidden'),
          '409': ref('Conflict'),
          '413': ref('PayloadTooLarge'),
          '415': ref('UnsupportedMediaType'),
          '422': ref('Unprocessable'),
        },
      },
    },
    [`/api/v1/entities/${kind}/{id}`]: {
      parameters: [idParam],
      get: {
        tags: [tag],
        operationId: `get-${kind}`,
        summary: `Get one of ${kind} (admin, member)`,
        responses: { '200': { description: 'The entity.', content: json(`${kind}.entity`) }, '401': ref('Unauthorized'), '403': ref('Forbidden'), '404': ref('NotFound') },
      },
      patch: {
        tags: [tag],
        operationId: `update-${kind}`,
        summary: `Update one of ${kind} (admin); a present null clears an optional attribute`,
        requestBody: { required: true, content: json(`${kind}.update`) },
        responses: {
          '200': { description: 'The updated entity.', content: json(`${kind}.entity`) },
          '400': ref('BadRequest'),
          '401': ref('Unauthorized'),
          '403': ref('Forbidden'),
          '404': ref('NotFound'),
          '409': ref('Conflict'),
          '413': ref('PayloadTooLarge'),
          '415': ref('UnsupportedMediaType'),
          '422': ref('Unprocessable'),
        },
      },
      delete: {
        tags: [tag],
        operationId: `delete-${kind}`,
        summary: `Delete one of ${kind} (admin)`,
        responses: {
          '204': { description: 'Deleted.' },
          '401': ref('Unauthorized'),
          '403': ref('Forbidden'),
          '404': ref('NotFound'),
          '409': ref('Conflict'),
        },
      },
    },
  };
}

/** The component schemas: `<kind>.create|update|entity` for each entity kind, plus `Problem` and `Whoami`. */
export function componentSchemas(entityResources: ResourceSpec[]): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const spec of entityResources) {
    for (const mode of ['create', 'update', 'entity'] as const) out[`${spec.kind}.${mode}`] = entityJsonSchema(spec, mode);
  }
  out.Problem = problemJsonSchema;
  out.Whoami = whoamiJsonSchema;
  Object.assign(out, peopleComponentSchemas, requestComponentSchemas, logDeliveryComponentSchemas, implementationCheckComponentSchemas);
  return out;
}

/** Builds the OpenAPI document from the non-composite resources (one per entity kind). */
export function openApiDocument(entityResources: ResourceSpec[], version: string): unknown {
  const paths: Record<string, unknown> = {
    '/healthz': {
      get: {
        tags: ['meta'],
        operationId: 'healthz',
        summary: 'Liveness and database check',
        security: [],
        responses: {
          '200': {
            description: 'The server is up.',
            content: { 'application/json': { schema: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } } },
          },
        },
      },
    },
    '/readyz': {
      get: {
        tags: ['meta'],
        operationId: 'readyz',
        summary: 'Readiness: database reachable, migrations applied, job runner running',
        description: 'For load balancers and orchestrators. `jobs` is `off` in a process started with `SYM_JOBS=off` (not a failure).',
        security: [],
        responses: {
          '200': {
            description: 'Ready to serve.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    status: { type: 'string', enum: ['ready'] },
                    checks: {
                      type: 'object',
                      properties: { database: { type: 'string' }, migrations: { type: 'string' }, jobs: { type: 'string', enum: ['running', 'off'] } },
                    },
                  },
                  required: ['status', 'checks'],
                },
              },
            },
          },
          '503': ref('Unavailable'),
        },
      },
    },
    '/api/v1/whoami': {
      get: {
        tags: ['meta'],
        operationId: 'whoami',
        summary: "The token's organization and role",
        responses: { '200': { description: 'Who the token belongs to.', content: json('Whoami') }, '401': ref('Unauthorized') },
      },
    },
    '/api/v1/openapi.json': {
      get: {
        tags: ['meta'],
        operationId: 'openapi',
        summary: 'This document',
        security: [],
        responses: { '200': { description: 'The OpenAPI document.', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  };
  for (const spec of entityResources) Object.assign(paths, entityPaths(spec));
  Object.assign(paths, peoplePaths(ref), requestPaths(ref), logDeliveryPaths(ref), implementationCheckPaths(ref), slackPaths(ref));
  return {
    openapi: '3.1.0',
    info: {
      title: 'OpenSym control plane API',
      version,
      description:
        'Entity API used by the sym Terraform provider. Errors are application/problem+json (RFC 9457). ' +
        'Roles: admin changes configuration; member reads it, requests and approves; guest only requests access on flows that ' +
        'allow guests and reads its own requests (entities, users, tokens and audit answer 403 to a guest).',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: 'http://127.0.0.1:8080' }],
    security: [{ bearerAuth: [] }],
    tags: [{ name: 'meta' }, ...entityResources.map((r) => ({ name: r.kind, description: `\`${r.typeName}\`: ${r.description}` })), ...peopleTags, ...requestTags, ...slackTags],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token of the organization.' } },
      responses: problemResponses,
      schemas: componentSchemas(entityResources),
    },
  };
}
