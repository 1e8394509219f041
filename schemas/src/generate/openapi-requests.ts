/**
 * Access requests: request-body JSON Schemas (the control plane validates with them) and their
 * part of the OpenAPI document, merged in by `openApiDocument`.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { JsonSchema } from './entity-json-schema';
import { asJsonSchema } from './as-json-schema';
import { idLinks } from './links';
import { pageParameters, pageSchema } from './openapi-paging';

/**
 * Lifecycle states of a request, as the API reports them and the control plane stores them
 * (column `AccessRequest.state`); the one list of them.
 */
export const requestStates = [
  /** Waiting for an approver; expires at `pendingUntil`. */
  'pending',
  /** Approved; a strategy flow escalates next (job `escalate`), an approval-only flow ends here. */
  'approved',
  'denied',
  /** `on_request` returned `events.approval.ignore(...)`: nothing happens. */
  'ignored',
  /** Nobody decided before the pending TTL ran out. */
  'expired',
  /** Access granted until `activeUntil`. */
  'active',
  /** Expired or revoked; the strategy is taking the access back (job `deescalate`). */
  'deescalating',
  /** The strategy failed to take the access back; retried with backoff until it succeeds. */
  'deescalation_failed',
  /** Access granted and taken back. */
  'done',
  /**
   * Escalation failed for good before the strategy was reached (it was deleted, or its type cannot
   * run), so nothing was granted. A failure after the strategy may have run goes `deescalating`
   * instead. Revocable, so an operator can always make sure nothing is left.
   */
  'failed',
] as const;

/** One of {@link requestStates}. */
export type RequestState = (typeof requestStates)[number];

const requesterProps = {
  user_email: { type: 'string', minLength: 3, maxLength: 320, description: 'Who the call acts for, by email (admin and bot tokens only; a user token acts as its user).' },
  user_id: { type: 'string', format: 'uuid', description: 'Who the call acts for, by user id (admin and bot tokens only).' },
} as const;

const requestCreate = {
  type: 'object',
  properties: {
    flow: { type: 'string', minLength: 1, maxLength: 200, description: 'The flow, by id or name.' },
    flow_id: { type: 'string', minLength: 1, maxLength: 200, description: 'The flow by id (alternative to `flow`).' },
    flow_name: { type: 'string', minLength: 1, maxLength: 200, description: 'The flow by name (alternative to `flow`).' },
    flow_inputs: {
      type: 'object',
      description:
        "Values of the flow's fields. `target` names an access target of the flow's strategy (id or name), and is refused when the strategy has no targets; `duration` is seconds or `30m`, `1h`, `1d`.",
      maxProperties: 100,
    },
    ...requesterProps,
  },
  additionalProperties: false,
} as const;

const requestDecision = {
  type: 'object',
  properties: { reason: { type: 'string', maxLength: 2000, description: 'Why; stored and shown in the events.' }, ...requesterProps },
  additionalProperties: false,
} as const;

const requestEvent = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid', description: 'Stable id of the audit event.' },
    type: { type: 'string', description: '`request.created`, `request.approved`, `request.escalated`, `request.deescalation_failed`, ...' },
    at: { type: 'string', format: 'date-time' },
    actor_user_id: { type: ['string', 'null'], description: 'Who caused it; null for the system (jobs, hooks).' },
    actor_token_id: { type: ['string', 'null'] },
    data: { type: 'object', description: 'from/to state, flow_version, reason, error, step output.' },
  },
  required: ['id', 'type', 'at', 'actor_user_id', 'actor_token_id', 'data'],
} as const;

const nullableString = <D extends string>(description: D) => ({ type: ['string', 'null'], description }) as const;
const nullableTime = <D extends string>(description: D) => ({ type: ['string', 'null'], description, format: 'date-time' }) as const;

const accessRequest = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    state: { type: 'string', enum: [...requestStates] },
    flow: {
      type: 'object',
      properties: { id: { type: 'string' }, name: { type: 'string' }, version: { type: 'string', description: "The flow's version the request runs on." } },
      required: ['id', 'name', 'version'],
    },
    requester: { type: 'object', properties: { id: { type: 'string' }, email: { type: 'string' } }, required: ['id', 'email'] },
    fields: { type: 'object', description: 'The validated fields (`target` as the target id, absent when there is none).' },
    target_id: nullableString('The chosen access target; null for approval-only flows and strategies without targets.'),
    duration_seconds: { type: ['integer', 'null'], description: 'How long access lasts once granted (capped by the flow).' },
    decided_by: nullableString('User who approved or denied.'),
    reason: nullableString('Reason given with the decision or revoke, or by a hook.'),
    pending_until: nullableTime('When the request expires unless someone decides; null once decided.'),
    active_until: nullableTime('When granted access is taken back.'),
    last_error: nullableString('The latest strategy or hook error (e.g. of a failed deescalation).'),
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    events: { type: 'array', items: requestEvent, description: 'Only in `GET /requests/{id}`: the audit trail, oldest first.' },
    notifications: {
      type: ['object', 'null'],
      description:
        'Only in `GET /requests/{id}` and the `POST /events/request` response: where the approval message goes, resolved when the request became pending ' +
        '(`get_request_notifications`, else `default`: the recipients of `get_approvers`). Null when the request never waited for a decision. Delivery to Slack comes with the Slack integration.',
      properties: {
        source: { type: 'string', enum: ['get_request_notifications', 'default'] },
        notifications: {
          type: 'array',
          items: {
            type: 'object',
            properties: { destinations: { type: 'array', items: { type: 'object', description: 'A Slack recipient: `slack.user`, `slack.channel` or `slack.fallback` as the SDK returns it.' } } },
            required: ['destinations'],
          },
        },
      },
      required: ['source', 'notifications'],
    },
  },
  required: ['id', 'state', 'flow', 'requester', 'fields', 'target_id', 'duration_seconds', 'decided_by', 'reason', 'pending_until', 'active_until', 'last_error', 'created_at', 'updated_at'],
} as const;

/** `POST /api/v1/events/request` body (Sym-shaped). */
export const requestCreateJsonSchema: JsonSchema = asJsonSchema(requestCreate);
/** Body of approve, deny and revoke. */
export const requestDecisionJsonSchema: JsonSchema = asJsonSchema(requestDecision);
/** An access request as the API returns it. */
export const requestJsonSchema: JsonSchema = asJsonSchema(accessRequest);

/** `AccessRequest`: an access request as the API returns it (derived from its schema). */
export type AccessRequest = FromSchema<typeof accessRequest>;
/** `AccessRequest.create`: the body of `POST /events/request`. */
export type AccessRequestCreate = FromSchema<typeof requestCreate>;
/** `AccessRequest.decision`: the body of approve, deny and revoke. */
export type AccessRequestDecision = FromSchema<typeof requestDecision>;

/**
 * What the control plane accepts as an `Idempotency-Key` field value (without the optional
 * whitespace around it, which HTTP strips): a bare token of 1-255 printable ASCII characters that
 * does not start with a quote and neither starts nor ends with a space, or a Structured Field
 * string (RFC 8941 §3.3.3: quoted, with only `\"` and `\\` escaped) holding 1-255 such characters.
 */
export const idempotencyKeyPattern = String.raw`^(?:[!#-~](?:[ -~]{0,253}[!-~])?|"(?:[ !#-\[\]-~]|\\["\\]){1,255}")$`;

/** Component schemas added by this module. */
export const requestComponentSchemas: Record<string, JsonSchema> = {
  AccessRequest: requestJsonSchema,
  'AccessRequest.create': requestCreateJsonSchema,
  'AccessRequest.decision': requestDecisionJsonSchema,
  RequestEvent: asJsonSchema(requestEvent),
};

/** Tags added by this module. */
export const requestTags = [{ name: 'requests', description: 'Access requests: request, approve, deny, revoke; escalation and expiry run as durable jobs.' }];

type Ref = (name: string) => { $ref: string };

/** Paths of the request endpoints; `problem` refers to a shared problem response. */
export function requestPaths(problem: Ref): Record<string, unknown> {
  const json = (name: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } });
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  const query = (name: string, description: string, schema: JsonSchema = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
  // draft-ietf-httpapi-idempotency-key-header: a Structured Field string naming one attempt of an operation.
  const idempotencyKey = {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Makes a retry safe: a request repeated with the same key (per token and operation, kept 24 h) and the same body gets the first answer again, with `Idempotent-Replayed: true`. The same key with another body or path is `422 idempotency_key_reused`; a repeat while the first is still running is `409 idempotency_key_in_flight`. 5xx answers are not kept. A quoted string (`"8e03978e-40d5-43e8-bc93-6894a57f9324"`) or a bare token of 1-255 printable ASCII characters; anything else is `400 invalid_idempotency_key`.',
    schema: { type: 'string', pattern: idempotencyKeyPattern },
  };
  const writeErrors = {
    '400': problem('BadRequest'),
    '401': problem('Unauthorized'),
    '403': problem('Forbidden'),
    '413': problem('PayloadTooLarge'),
    '415': problem('UnsupportedMediaType'),
    '422': problem('Unprocessable'),
  };
  const decision = (op: string, summary: string) => ({
    parameters: [idParam],
    post: {
      tags: ['requests'],
      operationId: `${op}-request`,
      parameters: [idempotencyKey],
      summary,
      requestBody: { required: false, content: json('AccessRequest.decision') },
      responses: {
        '200': { description: 'The request after the step.', content: json('AccessRequest') },
        ...writeErrors,
        '404': problem('NotFound'),
        '409': problem('Conflict'),
      },
    },
  });
  return {
    '/api/v1/events/request': {
      post: {
        tags: ['requests'],
        operationId: 'create-request',
        summary: 'Request access through a flow (any role; guests only where the flow allows them)',
        description:
          "Validates `flow_inputs` against the flow's fields (field errors point at `/flow_inputs/<name>`), runs `on_request`, and answers with the request in its first state: `pending`, or `approved`/`denied`/`ignored` when `on_request` decided.",
        parameters: [idempotencyKey],
        requestBody: { required: true, content: json('AccessRequest.create') },
        responses: {
          '201': { description: 'Created.', content: json('AccessRequest'), links: idLinks(['get-request', 'approve-request', 'deny-request', 'revoke-request']) },
          ...writeErrors,
          '409': problem('Conflict'),
        },
      },
    },
    '/api/v1/requests': {
      get: {
        tags: ['requests'],
        operationId: 'list-requests',
        summary: 'List requests, newest first (guests see only their own)',
        parameters: [
          query('state', 'Only requests in this state.', { type: 'string', enum: [...requestStates] }),
          query('flow', 'Only requests of this flow (id or name).'),
          query('requester', 'Only requests of this user (id or email).'),
          ...pageParameters(),
        ],
        responses: {
          '200': {
            description: 'One page of requests.',
            content: {
              'application/json': {
                schema: pageSchema('#/components/schemas/AccessRequest'),
              },
            },
          },
          '401': problem('Unauthorized'),
          '422': problem('Unprocessable'),
        },
      },
    },
    '/api/v1/requests/{id}': {
      parameters: [idParam],
      get: {
        tags: ['requests'],
        operationId: 'get-request',
        summary: 'A request with its events',
        responses: { '200': { description: 'The request and its audit trail.', content: json('AccessRequest') }, '401': problem('Unauthorized'), '404': problem('NotFound') },
      },
    },
    '/api/v1/requests/{id}/approve': decision('approve', 'Approve a pending request (allowed approvers only; see get_permissions / get_approvers)'),
    '/api/v1/requests/{id}/deny': decision('deny', 'Deny a pending request (allowed approvers, or the requester withdrawing it)'),
    '/api/v1/requests/{id}/revoke': decision('revoke', 'Take granted access back early (the flow must allow_revoke; the requester, an admin or an approver)'),
  };
}
