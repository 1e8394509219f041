/**
 * Which access target a request is for. A strategy with targets needs one (`flow_inputs.target`,
 * by id or name; may be left out when there is exactly one). A strategy without targets, like the
 * members of `sym_strategies` (Lambda strategies whose function decides from the request's
 * fields), takes no `target` at all.
 */
import { jsonPointer, type FieldError } from '../../errors/api-error';
import type { EntityRecord } from '../../shared/entity-record';
import { TARGET_FIELD } from './request-fields';

/** Finds an entity by id, or by name when `byName`. */
export type EntityFinder = (kind: string, ref: string, byName?: boolean) => Promise<EntityRecord | null>;

/** The strategy's target ids (`targets` of the access-strategies entity). */
export function strategyTargetIds(strategy: EntityRecord): string[] {
  const targets = strategy.data.targets;
  return Array.isArray(targets) ? targets.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * Resolves `raw` (the request's `target` input) against `strategy`. `target` is null exactly
 * when the strategy has no targets; otherwise an error points at `/flow_inputs/target`.
 */
export async function resolveTarget(strategy: EntityRecord, raw: unknown, find: EntityFinder): Promise<{ target: EntityRecord | null; error?: FieldError }> {
  const pointer = jsonPointer(['flow_inputs', TARGET_FIELD]);
  const allowed = strategyTargetIds(strategy);
  if (allowed.length === 0) {
    return raw === undefined ? { target: null } : { target: null, error: { pointer, detail: "this flow's strategy has no targets: leave out target" } };
  }
  if (raw === undefined && allowed.length === 1) {
    const only = await find('access-targets', allowed[0]!);
    return only ? { target: only } : { target: null, error: { pointer, detail: "the strategy's only target no longer exists" } };
  }
  if (typeof raw !== 'string' || !raw) {
    return { target: null, error: { pointer, detail: `target is required: the id or name of one of the strategy's ${allowed.length} targets` } };
  }
  const found = await find('access-targets', raw, true);
  if (!found || !allowed.includes(found.id)) return { target: null, error: { pointer, detail: `"${raw}" is not a target of this flow's strategy` } };
  return { target: found };
}
