/**
 * Attribute shapes that recur across resources. Sharing them keeps descriptions and plan
 * behaviour identical everywhere (e.g. every `id` survives updates).
 */
import type { ImplementationKind } from '../implementation-rules';
import type { AttributeSpec, CrossFieldRule, EntityKind } from '../model';

/** The computed `id` every resource carries; stable across updates, so planned from state. */
export const idAttribute: AttributeSpec = {
  type: 'string',
  presence: 'computed',
  description: 'Identifier assigned by the control plane.',
  useStateForUnknown: true,
};

/**
 * How an optional attribute that Sym's provider stores as `""`, `[]` or `{}` when unset is
 * declared: optional and computed, with the empty value meaning null (see `emptyEqualsNull`).
 */
export const emptyAsUnset = { presence: 'optional_computed', emptyEqualsNull: true } as const;

/** An optional human-readable label shown in Slack and the web UI. */
export function labelAttribute(what: string): AttributeSpec {
  return { type: 'string', ...emptyAsUnset, description: `Display name of the ${what}, shown to requesters and approvers.` };
}

/**
 * A required name, unique per organization (and type, where the resource has one). As in Sym
 * (its `RequiredCaseInsensitiveString`), stored lowercased and compared without regard to case.
 */
export function nameAttribute(description: string): AttributeSpec {
  return { type: 'string', presence: 'required', description: `${description} Stored lowercased, as by Sym.`, minLength: 1, caseInsensitive: true };
}

/** A `type` discriminator; changing it replaces the resource because the backing entity differs. */
export function typeAttribute(values: readonly string[], description: string): AttributeSpec {
  return { type: 'string', presence: 'required', description, requiresReplace: true, oneOf: values };
}

/** A free-form string map whose keys depend on the resource type. */
export function settingsAttribute(description: string): AttributeSpec {
  return { type: { map: 'string' }, ...emptyAsUnset, description };
}

/** A single reference to another entity by id. */
export function referenceAttribute(kind: EntityKind, presence: 'required' | 'optional', description: string): AttributeSpec {
  return { type: 'string', ...(presence === 'optional' ? emptyAsUnset : { presence }), description, references: kind };
}

/**
 * Sandboxed JavaScript of `module` kind, as source or a path to a file holding it; the provider
 * hashes it into `implementation_hash` and checks it at validate time.
 */
export function implementationAttribute(presence: 'required' | 'optional', module: ImplementationKind, description: string): AttributeSpec {
  return {
    type: 'string',
    ...(presence === 'optional' ? emptyAsUnset : { presence }),
    description,
    minLength: 1,
    sourceOrPath: { hashAttribute: 'implementation_hash', module },
  };
}

/** The provider-side hash that makes an edited implementation file show up as a change in the plan. */
export const implementationHashAttribute: AttributeSpec = {
  type: 'string',
  presence: 'computed',
  description: 'SHA-256 of the implementation source (hex), computed by the provider at plan time so that an edited file shows as an update.',
  providerOnly: true,
};

/** Variables handed to hooks as `vars`. */
export function varsAttribute(what: string): AttributeSpec {
  return { type: { map: 'string' }, ...emptyAsUnset, description: `String variables made available to the ${what} implementation.` };
}

/** Types a request field (`prompt_field`, `sym_form` field) may have. */
export const promptFieldTypes = ['string', 'str_list', 'int', 'int_list', 'bool', 'duration', 'slack_user', 'slack_user_list'] as const;

/**
 * A rule that entities of `type` carry `settings.<key>` for each of `keys` (matching
 * `patterns[key]` where given), and that each key of `values` that is set holds one of its values;
 * checked by the provider at validate time and by the API (422 at `/settings`). The one way to
 * express type-specific settings of targets, integrations and log destinations.
 */
export function typeSettingsRule(type: string, keys: readonly string[], message: string, values?: Record<string, readonly string[]>, patterns?: Record<string, string>): CrossFieldRule {
  return {
    id: `${type}_settings`,
    message,
    path: ['settings'],
    check: { kind: 'map_keys_when', attribute: 'type', equals: type, map: 'settings', keys, ...(values && { values }), ...(patterns && { patterns }) },
  };
}
