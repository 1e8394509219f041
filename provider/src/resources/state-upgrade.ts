/**
 * State written at an older schema version, brought to the current shape. The one change so
 * far: `sym_flow` version 0 held `params` as one object (a single block); version 1, like Sym's
 * provider, holds a list of at most one. Every block the spec marks `terraformNesting: 'list'`
 * is treated that way, so the upgrade follows the spec rather than a copy of the old schema.
 */
import type { BlockSpec } from '@opensym/schemas';
import { DiagnosticsError, errorDiagnostic } from '../framework/diagnostics';
import { isObject, type ObjectSpec } from '../framework/object-spec';

/**
 * Sym's provider before 2.0 also wrote `sym_flow` at schema version 0, but with a `template`
 * attribute and `params` as a map of strings (JSON inside). That is not OpenSym's version 0:
 * refuse it with the way out rather than guess.
 */
export function refuseSymPre2State(typeName: string, version: number, raw: unknown): void {
  if (typeName !== 'sym_flow' || version !== 0 || !isObject(raw) || !('template' in raw)) return;
  throw new DiagnosticsError([
    errorDiagnostic(
      "State written by Sym's provider before 2.0",
      "This sym_flow state has a `template` attribute: it was written by Sym's provider 1.x. Let Sym's provider 2.x or 3.x upgrade it first " +
        '(run `terraform apply -refresh-only` with it), then replace the provider (docs/guides/migrating-from-sym.md).',
    ),
  ]);
}

/**
 * Raw state JSON (any older version) in the current shape: a block now served as a list of one
 * that the state holds as an object becomes `[object]`, a null one `[]`; everything else is
 * left for the framework to fit to the schema. Idempotent: current-shape state passes unchanged.
 */
export function upgradeRawState(spec: ObjectSpec, raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  for (const [name, block] of Object.entries(spec.blocks ?? {})) out[name] = upgradeBlock(block, raw[name]);
  return out;
}

function upgradeBlock(block: BlockSpec, raw: unknown): unknown {
  if (block.terraformNesting === 'list') {
    if (raw === null || raw === undefined) return [];
    if (isObject(raw)) return [upgradeRawState(block, raw)];
  }
  if (Array.isArray(raw)) return raw.map((e) => upgradeRawState(block, e));
  if (block.nesting === 'map' && isObject(raw)) return Object.fromEntries(Object.entries(raw).map(([k, e]) => [k, upgradeRawState(block, e)]));
  if (block.nesting === 'single') return upgradeRawState(block, raw);
  return raw;
}
