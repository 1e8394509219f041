/**
 * Delivery of the audit trail to log destinations: the state schema and its part of the OpenAPI
 * document (`GET /entities/log-destinations/{id}/delivery`), merged in by `openApiDocument`.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { JsonSchema } from './entity-json-schema';
import { asJsonSchema } from './as-json-schema';

const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;

const logDeliveryState = {
  type: 'object',
  description: 'Where delivery of the audit trail to one log destination stands.',
  properties: {
    destination_id: { type: 'string', format: 'uuid' },
    pending: { type: 'integer', minimum: 0, description: 'Audit events accepted for this destination and not yet delivered.' },
    delivered: { type: 'integer', minimum: 0, description: 'Audit events delivered so far.' },
    last_event_id: { type: ['string', 'null'], format: 'uuid', description: 'Id of the last audit event the destination accepted.' },
    last_event_at: { ...nullableTime, description: 'When that event happened.' },
    last_delivered_at: { ...nullableTime, description: 'When the destination last accepted a batch.' },
    last_error: { type: ['string', 'null'], description: 'The last delivery error (kept after a later success; compare `last_error_at`).' },
    last_error_at: nullableTime,
    failing: { type: 'boolean', description: 'True while the latest attempt failed; delivery is retried with backoff.' },
    consecutive_failures: { type: 'integer', minimum: 0 },
    next_attempt_at: { ...nullableTime, description: 'When the next attempt after a failure is due; null when not failing.' },
  },
  required: ['destination_id', 'pending', 'delivered', 'last_event_id', 'last_event_at', 'last_delivered_at', 'last_error', 'last_error_at', 'failing', 'consecutive_failures', 'next_attempt_at'],
} as const;

/** `LogDeliveryState`: delivery progress of one log destination, as the API returns it. */
export type LogDeliveryState = FromSchema<typeof logDeliveryState>;

/** Component schemas added by this module. */
export const logDeliveryComponentSchemas: Record<string, JsonSchema> = { LogDeliveryState: asJsonSchema(logDeliveryState) };

type Ref = (name: string) => { $ref: string };

/** The delivery-state path; `problem` refers to a shared problem response. */
export function logDeliveryPaths(problem: Ref): Record<string, unknown> {
  return {
    '/api/v1/entities/log-destinations/{id}/delivery': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        tags: ['log-destinations'],
        operationId: 'get-log-destination-delivery',
        summary: 'Delivery state of a log destination: pending events, last delivered event, last error (admin, member)',
        responses: {
          '200': { description: 'The delivery state.', content: { 'application/json': { schema: { $ref: '#/components/schemas/LogDeliveryState' } } } },
          '401': problem('Unauthorized'),
          '403': problem('Forbidden'),
          '404': problem('NotFound'),
        },
      },
    },
  };
}
