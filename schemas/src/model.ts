/**
 * The schema model: how every `sym_*` resource and data source is described, once.
 * Generators turn these descriptions into the Terraform schema, API validation, OpenAPI, docs
 * and the `providers schema -json` document; the provider and control plane read them for
 * behaviour (defaults, replacement, references) that a wire schema cannot express.
 */
import type { ImplementationKind } from './implementation-rules';

/** A Terraform value type, limited to what the resources need. */
export type ValueType = 'string' | 'number' | 'bool' | { list: ValueType } | { set: ValueType } | { map: ValueType };

/** Who supplies an attribute's value: the user (required/optional), the system (computed), or either. */
export type Presence = 'required' | 'optional' | 'computed' | 'optional_computed';

/** API entity kinds, named as in Sym's API: `/api/v1/entities/<kind>`. */
export type EntityKind =
  'environments' | 'integrations' | 'secret-sources' | 'secrets' | 'access-targets' | 'access-strategies' | 'flows' | 'runtimes' | 'error-loggers' | 'log-destinations' | 'flows-filter' | 'forms';

/** A JSON value as stored by the control plane and as a default. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One attribute of a resource or block. */
export interface AttributeSpec {
  type: ValueType;
  presence: Presence;
  /** One or two plain sentences; rendered into docs and the Terraform schema. */
  description: string;
  /** Masked in plans and never logged (provider) or returned in clear (API) beyond what is needed. */
  sensitive?: boolean;
  /** Planned when the configuration leaves the attribute null; implies presence `optional_computed`. */
  default?: JsonValue;
  /** A change to this attribute destroys and recreates the resource. */
  requiresReplace?: boolean;
  /** Computed value that stays the same across updates (e.g. `id`). */
  useStateForUnknown?: boolean;
  /** Validators, applied by the provider (attribute diagnostics) and the API (422 field errors). */
  oneOf?: readonly string[];
  /**
   * Values of `oneOf` that Sym's provider accepts and this version recognises but cannot act on
   * yet: the provider and the API refuse them with "not supported yet" rather than accept
   * something that would only fail later.
   */
  notSupportedYet?: readonly string[];
  /** For list/set/map of string: every element must be one of these. */
  elementOneOf?: readonly string[];
  pattern?: string;
  minLength?: number;
  minItems?: number;
  /** The value (or each element / map value) is the id of an entity of this kind in the same org. */
  references?: EntityKind;
  /**
   * The value is source code, or a path to a file holding it. The provider reads the file at plan
   * time and sends its contents to the API; the computed attribute named here holds the SHA-256
   * of the source, so an edited file shows as an in-place update. `module` marks sandboxed
   * JavaScript, checked at validate time against the rules of that kind (implementation-rules.ts).
   */
  sourceOrPath?: { hashAttribute: string; module?: ImplementationKind };
  /**
   * Compared without regard to case, as Sym's names: the API stores the value lowercased (Sym's
   * API does), and the provider plans no change when the configuration differs from the state
   * only in case (Sym's provider suppresses that diff).
   */
  caseInsensitive?: boolean;
  /** Set on attributes that the provider keeps to itself and never sends to the API. */
  providerOnly?: boolean;
  /**
   * The empty value (`""`, `[]`, `{}`) means the same as null, as in Sym's provider, whose state
   * holds the empty value where the configuration sets nothing. Such an attribute is
   * `optional_computed`: the provider plans no change between the two spellings and sends null.
   */
  emptyEqualsNull?: boolean;
}

/** Nesting mode of a block, as in tfplugin6. `map` blocks take one label (`field "name" {}`). */
export type BlockNesting = 'single' | 'list' | 'map';

/** A nested configuration block. */
export interface BlockSpec {
  nesting: BlockNesting;
  /**
   * How Terraform sees a `single` block when that differs from the API: `list` serves it as a
   * list block of at most one element, as Sym's provider declares `sym_flow.params` (so
   * references read `params[0].strategy_id`); the API still holds one object or null.
   * `terraformView` turns the spec into what Terraform sees.
   */
  terraformNesting?: 'list';
  description: string;
  minItems?: number;
  maxItems?: number;
  attributes: Record<string, AttributeSpec>;
  blocks?: Record<string, BlockSpec>;
}

/** How a resource is found again by `terraform import` and by uniqueness checks. */
export type Identity =
  /** Import by id or by `name`; names unique per org and kind (case-insensitive). */
  | { by: 'name' }
  /** Import by id or by `type:name`; names unique per org, kind and type. */
  | { by: 'type_name' }
  /** Import by id or by `path` (secrets); unique per org, kind and `source_id`. */
  | { by: 'path' }
  /** One per organization; import by id (or any string naming it). */
  | { by: 'singleton' }
  /**
   * No unique natural key, but a slug as Sym derives it (what `symflow resources list` shows):
   * the first non-empty of `slugFrom` (attribute names, or `settings.<key>`), lowercased, without
   * a leading `#`. Import by id, or by the slug (`type:slug` when `typed`); a slug shared by more
   * than one entity asks for the id.
   */
  | { by: 'slug'; slugFrom: string[]; typed?: boolean }
  /** No natural key; import by id only. */
  | { by: 'id' };

/** The slug of an entity whose identity is `by: 'slug'` (see there), or null when it has none. */
export function derivedSlug(identity: Extract<Identity, { by: 'slug' }>, data: Record<string, unknown>): string | null {
  for (const from of identity.slugFrom) {
    const [attr, key] = from.split('.', 2) as [string, string | undefined];
    const holder = data[attr];
    const v = key === undefined ? holder : typeof holder === 'object' && holder !== null && !Array.isArray(holder) ? (holder as Record<string, unknown>)[key] : undefined;
    if (typeof v === 'string' && v.trim() !== '') return normalizeSlug(v);
  }
  return null;
}

/** A slug as written by a user (`#sym-errors`, `Sym-Errors`) in the form derivedSlug gives. */
export function normalizeSlug(s: string): string {
  return s.trim().replace(/^#/, '').toLowerCase();
}

/** A rule spanning attributes, checked by the provider at validate time and by the API. */
export interface CrossFieldRule {
  /** Stable identifier, e.g. `revoke_or_schedule`. */
  id: string;
  /** Human explanation used as the diagnostic detail / problem detail. */
  message: string;
  /** Attribute path the diagnostic points at, e.g. `['params', 0, 'allow_revoke']` style steps. */
  path: (string | number)[];
  /**
   * Block names leading from the resource root to the object the rule applies to; the rule is
   * checked on every element of a list block and every value of a map block. Absent: the
   * resource itself. When set, `path` starts with these names and omits list indexes and map
   * keys; the reported path inserts the concrete ones.
   */
  scope?: string[];
  /** Machine-checkable form of the rule, so provider and API evaluate it the same way. */
  check?: CrossFieldCheck;
}

/** The kinds of cross-field rule that `validateAgainstSpec` and the API schemas can evaluate. */
export type CrossFieldCheck =
  /** At least one of these bool attributes is true; null counts as the attribute's default. */
  | { kind: 'at_least_one_true'; attributes: string[] }
  /** Exactly one of these attributes is set (not null). */
  | { kind: 'exactly_one_of'; attributes: string[] }
  /**
   * Type-specific settings: when string attribute `attribute` equals `equals`, the map attribute
   * `map` holds each of `keys` as a non-empty string (matching `patterns[key]` where given), and
   * each key of `values` that is set holds one of its values. Reported at `map` with the rule's
   * message. Checked on create (and on the merged result of a PATCH), not on a PATCH body alone.
   */
  | {
      kind: 'map_keys_when';
      attribute: string;
      equals: string;
      map: string;
      keys: readonly string[];
      patterns?: Record<string, string>;
      values?: Record<string, readonly string[]>;
    }
  /**
   * When string attribute `attribute` is one of `in`, attribute `unset` is not set (null or empty):
   * an attribute that means nothing for those types is refused rather than ignored. Reported at
   * `unset` with the rule's message. Checked on create (and on the merged result of a PATCH).
   */
  | { kind: 'unset_when'; attribute: string; in: readonly string[]; unset: string };

/** A `sym_*` resource. */
export interface ResourceSpec {
  /** Terraform type name, e.g. `sym_flow`. */
  typeName: string;
  /** API kind it is stored as; composite resources name the kind their parts are stored as. */
  kind: EntityKind;
  description: string;
  /** Schema version recorded in state. */
  version: number;
  attributes: Record<string, AttributeSpec>;
  blocks?: Record<string, BlockSpec>;
  identity: Identity;
  /**
   * Set for resources that are not one API entity. `lambda_strategy_set`: every `lambda_strategy`
   * block is one `access-strategies` entity of type `aws_lambda`.
   */
  composite?: 'lambda_strategy_set';
  crossFieldRules?: CrossFieldRule[];
  /** A complete HCL example for the docs (and applied by the docs test). */
  example: string;
  /** Example import IDs shown in the docs, e.g. `['slack:my-slack']`. */
  importExamples: string[];
}

/** A `sym_*` data source: looks an entity up by the listed attributes and returns the rest. */
export interface DataSourceSpec {
  typeName: string;
  kind: EntityKind;
  description: string;
  /** The attributes that select the entity (required in config). */
  lookup: string[];
  /** The resource whose attributes are returned (all computed except `lookup`). */
  resource: string;
  example: string;
}

/** The provider's own configuration block. */
export interface ProviderSpec {
  description: string;
  attributes: Record<string, AttributeSpec>;
}

/** Helpers for walking value types. */
export function isCollection(t: ValueType): t is { list: ValueType } | { set: ValueType } | { map: ValueType } {
  return typeof t === 'object';
}

/** The cty type JSON of a value type, as Terraform expects in `Attribute.type`. */
export function ctyTypeJson(t: ValueType): unknown {
  if (typeof t === 'string') return t;
  if ('list' in t) return ['list', ctyTypeJson(t.list)];
  if ('set' in t) return ['set', ctyTypeJson(t.set)];
  return ['map', ctyTypeJson(t.map)];
}
