/** Builds the event hooks, reducers and strategies see (`event.user`, `event.payload.fields`, `event.flow`, `event.run`). */
import type { JsonValue } from '@opensym/schemas';
import type { SymEvent, SymUser } from '../../sandbox';
import type { EntityRecord } from '../../shared/entity-record';
import type { RequestEventRecord, RequestRecord, UserRecord } from './request-store';

/** A user as guests see it: id, email, a username from the email, and identities. */
export function symUser(user: UserRecord): SymUser {
  return { id: user.id, email: user.email, username: user.email.split('@')[0], role: user.role, identities: user.identities };
}

/** The target as `event.payload.fields.target`: the entity with `field_bindings` filled from the request's fields. */
export function targetView(target: EntityRecord, fields: Record<string, JsonValue>): Record<string, JsonValue> {
  const data = target.data as Record<string, JsonValue>;
  const settings: Record<string, JsonValue> = { ...((data.settings as Record<string, JsonValue> | null) ?? {}) };
  for (const name of Array.isArray(data.field_bindings) ? data.field_bindings : []) {
    if (typeof name === 'string' && fields[name] !== undefined) settings[name] = fields[name]!;
  }
  return { id: target.id, type: target.type, name: target.name, label: (data.label as JsonValue) ?? null, settings };
}

/** Outputs of earlier steps (`event.get_step_output(step)`), read back from the request's events. */
export function stepOutputs(events: readonly RequestEventRecord[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const e of events) {
    if (typeof e.data.step === 'string' && e.data.output !== undefined) out[e.data.step] = e.data.output;
  }
  return out;
}

/** The event for step `type` of `request`; `actors` maps a step (`request`, `approve`, ...) to who did it. */
export function buildEvent(input: {
  type: string;
  request: Pick<RequestRecord, 'id' | 'flowId' | 'flowName' | 'flowVersion' | 'flowSnapshot' | 'fields' | 'durationSeconds' | 'state'>;
  requester: UserRecord;
  target: EntityRecord | null;
  actors: Record<string, UserRecord>;
  outputs?: Record<string, JsonValue>;
}): SymEvent {
  const { request, requester, target } = input;
  const fields: Record<string, JsonValue> = { ...request.fields };
  if (target) fields.target = targetView(target, request.fields);
  if (request.durationSeconds !== null) fields.duration = request.durationSeconds;
  const snapshot = request.flowSnapshot;
  return {
    type: input.type,
    user: symUser(requester),
    payload: { fields },
    flow: {
      id: request.flowId,
      name: request.flowName,
      version: request.flowVersion,
      environment_id: snapshot.environment_id ?? null,
      vars: (snapshot.vars as Record<string, JsonValue> | null) ?? {},
    },
    run: { id: request.id, state: request.state, actors: Object.fromEntries(Object.entries(input.actors).map(([k, u]) => [k, symUser(u)])) },
    step_outputs: input.outputs ?? {},
  };
}
