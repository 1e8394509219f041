/**
 * Checks the `sym_*` resources, data sources and `provider "sym"` blocks of an HCL snippet
 * against the specs: unknown attributes and blocks, missing required ones, block counts and
 * the validators on literal values. Used by tests on examples and seed snippets.
 */
import { dataSources } from './data-sources';
import type { AttributeSpec, BlockSpec } from './model';
import { providerSpec } from './provider';
import { dataSourceAttributes, resourceByType } from './registry';
import { literalValue } from './hcl-outline';
import type { HclBlock } from './hcl-outline';
import { unknownMarker, validateAgainstSpec } from './validate-value';
import type { ValidatableSpec, ValuePathStep } from './validate-value';

/** One problem found in a snippet, e.g. `sym_flow.this: params.prompt_field[0].kind is not an argument`. */
export interface HclProblem {
  address: string;
  line: number;
  message: string;
}

const metaArguments = new Set(['count', 'for_each', 'depends_on', 'provider', 'alias', 'version']);
const metaBlocks = new Set(['lifecycle', 'provisioner', 'connection', 'dynamic', 'timeouts']);

/** Problems of every `sym_*` block in a parsed root body (or in a single top-level block). */
export function checkHclBlocks(blocks: HclBlock[]): HclProblem[] {
  const problems: HclProblem[] = [];
  for (const b of blocks) {
    const [typeName, name] = b.labels;
    let spec: ValidatableSpec | undefined;
    let address = '';
    if (b.type === 'resource' && typeName?.startsWith('sym_')) {
      spec = resourceByType(typeName);
      address = `${typeName}.${name}`;
      if (!spec) problems.push({ address, line: b.line, message: `unknown resource type ${typeName}` });
    } else if (b.type === 'data' && typeName?.startsWith('sym_')) {
      const ds = dataSources.find((d) => d.typeName === typeName);
      address = `data.${typeName}.${name}`;
      if (ds) spec = { attributes: dataSourceAttributes(ds) };
      else problems.push({ address, line: b.line, message: `unknown data source ${typeName}` });
    } else if (b.type === 'provider' && typeName === 'sym') {
      spec = providerSpec;
      address = 'provider.sym';
    }
    if (!spec) continue;
    const value = bodyValue(spec.attributes, spec.blocks ?? {}, b, [], (path, message) => problems.push({ address, line: b.line, message: `${formatPath(path)}: ${message}` }));
    for (const p of validateAgainstSpec(spec, value)) {
      problems.push({ address, line: b.line, message: `${formatPath(p.path)}: ${p.message}` });
    }
  }
  return problems;
}

/** Builds a Terraform-shaped value from a block body; expressions become the unknown marker. */
function bodyValue(
  attributes: Record<string, AttributeSpec>,
  blocks: Record<string, BlockSpec>,
  body: HclBlock,
  path: ValuePathStep[],
  report: (path: ValuePathStep[], message: string) => void,
): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(body.attributes)) {
    const attr = attributes[name];
    if (!attr) {
      if (!(path.length === 0 && metaArguments.has(name))) report([...path, name], 'is not an argument of this block');
      continue;
    }
    if (attr.presence === 'computed') {
      report([...path, name], 'is read-only and cannot be set');
      continue;
    }
    const literal = literalValue(raw);
    value[name] = literal === undefined ? unknownMarker : literal;
  }
  const seen = new Map<string, HclBlock[]>();
  for (const child of body.blocks) {
    const spec = blocks[child.type];
    if (!spec) {
      if (!metaBlocks.has(child.type)) report([...path, child.type], 'is not a block type of this block');
      continue;
    }
    seen.set(child.type, [...(seen.get(child.type) ?? []), child]);
  }
  for (const [name, spec] of Object.entries(blocks)) {
    const found = seen.get(name) ?? [];
    const inner = (b: HclBlock, p: ValuePathStep[]) => bodyValue(spec.attributes, spec.blocks ?? {}, b, p, report);
    const expectedLabels = spec.nesting === 'map' ? 1 : 0;
    for (const b of found) {
      if (b.labels.length !== expectedLabels) report([...path, name], `takes ${expectedLabels} label${expectedLabels === 1 ? '' : 's'}, got ${b.labels.length}`);
    }
    if (spec.nesting === 'single') {
      if (found.length > 1) report([...path, name], 'may appear at most once');
      value[name] = found[0] ? inner(found[0], [...path, name]) : null;
    } else if (spec.nesting === 'list') {
      value[name] = found.map((b, i) => inner(b, [...path, name, i]));
    } else {
      value[name] = Object.fromEntries(found.map((b) => [b.labels[0] ?? '', inner(b, [...path, name, { key: b.labels[0] ?? '' }])]));
    }
  }
  return value;
}

/** Renders a value path the way Terraform prints it: `params.prompt_field[0].type`. */
export function formatPath(path: ValuePathStep[]): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (typeof step === 'string') out += out ? `.${step}` : step;
    else out += `[${JSON.stringify(step.key)}]`;
  }
  return out || '(root)';
}
