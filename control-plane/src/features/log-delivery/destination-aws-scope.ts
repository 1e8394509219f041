/**
 * Whose AWS credentials a log destination's calls use (issue 11 §2: the runtime role signs every
 * AWS call of an environment). A destination is delivered as one queue, whose batches mix the
 * events of every environment listing it (and the organization's events, which belong to all of
 * them), so the role is chosen per destination, not per event: the runtime role of the
 * environments that list it. They must agree: all with the same runtime context (that role is
 * assumed), or all without one (the control plane's own credentials). Environments that disagree
 * are refused as a delivery failure naming them, so no event is sent with credentials another
 * environment's owner did not choose; the events wait until the configuration is fixed.
 */
import { type AwsCallScope, type EntityReader, roleSessionName } from '../strategies';
import type { EntityRecord } from '../../shared/entity-record';
import { DeliveryError } from './sinks/log-sink';

/** Entities pointing at an entity (the entity store's `referrers`). */
export type ReferrerLookup = (id: string) => Promise<{ id: string; kind: string }[]>;

/**
 * The scope a destination's AWS calls run in (for the credential resolver compose.ts gives
 * strategies and PagerDuty): the environment whose runtime role applies and a session name.
 */
export type DestinationAwsScope = (orgId: string, destination: EntityRecord) => Promise<AwsCallScope>;

/** The `RoleSessionName` of a destination's calls: what the customer's CloudTrail shows. */
export const destinationSessionName = (destinationId: string) => roleSessionName(`log-delivery-${destinationId}`);

/** Builds the lookup over the environments that list a destination. */
export function createDestinationAwsScope({ entities, referrers }: { entities: EntityReader; referrers: ReferrerLookup }): DestinationAwsScope {
  /** The environment's runtime context integration id, or null when it has none. */
  const contextOf = async (orgId: string, environment: EntityRecord): Promise<string | null> => {
    const runtimeId = environment.data.runtime_id;
    if (typeof runtimeId !== 'string' || !runtimeId) return null;
    const contextId = (await entities.findById(orgId, 'runtimes', runtimeId))?.data.context_id;
    return typeof contextId === 'string' && contextId ? contextId : null;
  };

  return async (orgId, destination) => {
    const ids = (await referrers(destination.id)).filter((r) => r.kind === 'environments').map((r) => r.id);
    const environments = (await Promise.all(ids.map((id) => entities.findById(orgId, 'environments', id)))).filter((e): e is EntityRecord => e !== null);
    const byContext = new Map<string | null, string[]>();
    for (const environment of environments) {
      const context = await contextOf(orgId, environment);
      byContext.set(context, [...(byContext.get(context) ?? []), environment.name ?? environment.id]);
    }
    if (byContext.size > 1) {
      const groups = [...byContext].map(([context, names]) => `${names.sort().join(', ')} (${context ? `runtime context ${context}` : 'no runtime role'})`);
      throw new DeliveryError(
        `log destination ${destination.name ?? destination.id}: the environments listing it run with different AWS runtime roles: ${groups.join('; ')}. ` +
          'Its AWS calls would be signed for all of them with one role: list it only in environments sharing a runtime role, or use one destination per role',
      );
    }
    // No environment lists it (it gets no events), or none has a runtime role: the control plane's own.
    const environment = environments[0];
    return { orgId, environmentId: environment?.id ?? null, sessionName: destinationSessionName(destination.id) };
  };
}
