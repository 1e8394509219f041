/** JSON data: the only thing that crosses the sandbox boundary. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A Sym user as the guest sees it (`event.user`, PagerDuty results, ...). */
export interface SymUser {
  id?: string;
  email?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  /** Identities per integration/service, e.g. `{ slack: 'U123' }`. */
  identities?: Record<string, JsonValue>;
  [key: string]: unknown;
}

/** The event handed to hooks, reducers and strategy methods (wrapped with helpers in the guest). */
export interface SymEvent {
  type?: string;
  user: SymUser;
  payload: { fields: Record<string, JsonValue>; [key: string]: JsonValue };
  flow?: { id?: string; name?: string; vars?: Record<string, JsonValue>; [key: string]: unknown };
  run?: { id?: string; actors?: Record<string, SymUser>; [key: string]: unknown };
  /** Outputs of earlier steps, read by `event.get_step_output(step)`. */
  step_outputs?: Record<string, JsonValue>;
  [key: string]: unknown;
}

/** A secret of the integration, as the guest sees it before calling `retrieve_value()`. */
export interface SandboxSecretRef {
  id: string;
  [key: string]: JsonValue;
}

/** The integration a custom strategy is constructed with (`this.integration`). */
export interface SandboxIntegration {
  id: string;
  name?: string;
  type?: string;
  external_id?: string;
  /** Public settings; `settings.secrets` is filled from `secrets` with retrievable handles. */
  settings?: Record<string, JsonValue>;
  secrets?: SandboxSecretRef[];
}

/** What to call once the module is evaluated. */
export type SandboxCall =
  /**
   * An exported hook or reducer, called with the event followed by `args` (Sym's
   * `get_identity(event, service_type, external_id, user)`), or with `args` alone when there is no
   * event (a flows filter's `get_flows(user, flows, flow_vars)`). Given `args`, a Python function
   * gets as many of them as it declares.
   */
  | { kind: 'hook'; name: string; event?: SymEvent; args?: JsonValue[] }
  /** A method of the exported `AccessStrategy` subclass, constructed with `integration`. */
  | {
      kind: 'strategy';
      method: 'escalate' | 'deescalate';
      /** Passed as `target_id`; null when the strategy has no targets. */
      targetId: string | null;
      event: SymEvent;
      integration: SandboxIntegration;
      /** Which exported class to use when the module exports several strategies. */
      className?: string;
    }
  /** `get_requester_identity(event)` of the strategy (uses `fetch_remote_identity` and the cache). */
  | {
      kind: 'identity';
      event: SymEvent;
      integration: SandboxIntegration;
      className?: string;
    };

/** Nesting past which {@link nonDataIn} stops looking; deeper data is left to `JSON.stringify` (which refuses cycles). */
const CHECKED_DEPTH = 256;

/**
 * The type of the first function, symbol or bigint in `value`, if any: JSON would drop the first
 * two without a word and cannot write the third. A walk in JavaScript rather than a
 * `JSON.stringify` replacer, which JSON would call from C++ for every value.
 */
function nonDataIn(value: unknown, depth: number): string | undefined {
  const type = typeof value;
  if (type === 'function' || type === 'symbol' || type === 'bigint') return type;
  if (type !== 'object' || value === null || depth >= CHECKED_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      const found = nonDataIn(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const found = nonDataIn((value as Record<string, unknown>)[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * The call as the JSON text the worker hands to the guest. Throws a TypeError for input that is
 * not plain data (functions, symbols, bigints, cycles), before anything starts.
 */
export function callJsonOf(call: SandboxCall): string {
  const found = nonDataIn(call, 0);
  if (found) throw new TypeError(`sandbox input is not plain data: it holds a ${found}`);
  try {
    return JSON.stringify(call);
  } catch (error) {
    throw new TypeError(`sandbox input is not plain data: ${(error as Error).message}`);
  }
}
