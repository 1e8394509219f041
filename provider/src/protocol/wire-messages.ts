/**
 * Framework values ⇄ tfplugin6 message objects (proto-loader's keepCase JSON shapes) for the
 * parts shared by several RPCs: diagnostics, attribute paths, schemas and DynamicValues.
 */
import type { WireBlock, WireSchema, WireSchemas } from './provider-server';
import type { AttributePath, Diagnostic } from './values';

/** tfplugin6.Diagnostic as proto-loader takes it. */
export interface ProtoDiagnostic {
  severity: 'ERROR' | 'WARNING';
  summary: string;
  detail: string;
  attribute?: ProtoAttributePath;
}
/** tfplugin6.AttributePath as proto-loader takes it: each step sets one member of the oneof. */
export interface ProtoAttributePath {
  steps: ({ attribute_name: string } | { element_key_int: number } | { element_key_string: string })[];
}

/** Converts a framework path to AttributePath steps; called for diagnostics and requires_replace. */
export function toProtoPath(path: AttributePath): ProtoAttributePath {
  return {
    steps: path.map((s) => (typeof s === 'string' ? { attribute_name: s } : typeof s === 'number' ? { element_key_int: s } : { element_key_string: s.key })),
  };
}

/**
 * Converts a framework diagnostic; called for every diagnostic of every RPC. Severity is always
 * set, because hosts silently drop a diagnostic with severity 0.
 */
export function toProtoDiagnostic(d: Diagnostic): ProtoDiagnostic {
  const out: ProtoDiagnostic = { severity: d.severity === 'warning' ? 'WARNING' : 'ERROR', summary: d.summary, detail: d.detail ?? '' };
  if (d.path && d.path.length > 0) out.attribute = toProtoPath(d.path);
  return out;
}

/** Converts the framework's diagnostics list (which may be missing on a buggy result). */
export function toProtoDiagnostics(ds: readonly Diagnostic[] | undefined): ProtoDiagnostic[] {
  return (ds ?? []).map(toProtoDiagnostic);
}

const EMPTY_BLOCK: WireBlock = { attributes: [], block_types: [] };

/** Converts one WireSchema for GetProviderSchema; `block` is always present (an absent one crashes the host). */
export function toProtoSchema(s: WireSchema): Record<string, unknown> {
  return { version: s.version ?? 0, block: toProtoBlock(s.block ?? EMPTY_BLOCK) };
}

function toProtoBlock(b: WireBlock): Record<string, unknown> {
  return {
    version: b.version ?? 0,
    description: b.description ?? '',
    description_kind: b.description_kind ?? 'PLAIN',
    attributes: (b.attributes ?? []).map((a) => ({
      name: a.name,
      // Type JSON travels as bytes; the codec has already checked it is a valid cty type.
      type: Buffer.from(JSON.stringify(a.type), 'utf8'),
      description: a.description ?? '',
      description_kind: a.description_kind ?? 'PLAIN',
      required: a.required === true,
      optional: a.optional === true,
      computed: a.computed === true,
      sensitive: a.sensitive === true,
    })),
    block_types: (b.block_types ?? []).map((nb) => ({
      type_name: nb.type_name,
      block: toProtoBlock(nb.block ?? EMPTY_BLOCK),
      nesting: nb.nesting,
      min_items: nb.min_items ?? 0,
      max_items: nb.max_items ?? 0,
    })),
  };
}

/** Converts all schemas for GetProviderSchema (provider_meta deliberately left out). */
export function toProtoSchemas(w: WireSchemas): {
  provider: Record<string, unknown>;
  resource_schemas: Record<string, Record<string, unknown>>;
  data_source_schemas: Record<string, Record<string, unknown>>;
} {
  const map = (m: Record<string, WireSchema> | undefined) => Object.fromEntries(Object.entries(m ?? {}).map(([k, s]) => [k, toProtoSchema(s)]));
  return { provider: toProtoSchema(w.provider), resource_schemas: map(w.resource_schemas), data_source_schemas: map(w.data_source_schemas) };
}
