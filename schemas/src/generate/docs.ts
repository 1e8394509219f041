/**
 * Registry-style Markdown reference pages (`docs/resources/*.md`, `docs/data-sources/*.md`,
 * `docs/index.md`), laid out like tfplugindocs output so they read like any provider's docs.
 */
import type { AttributeSpec, BlockSpec, DataSourceSpec, ProviderSpec, ResourceSpec, ValueType } from '../model';
import { dataSourceAttributes } from '../registry';
import { terraformView } from '../terraform-view';
import { sortedEntries } from './wire-schema';

/** The page name of a `sym_*` type: `sym_flow` → `flow`. */
export function docName(typeName: string): string {
  return typeName.replace(/^sym_/, '');
}

/** The reference page of a resource. */
export function resourceDoc(spec: ResourceSpec): string {
  const parts = [
    frontMatter(`${spec.typeName} Resource - sym`, spec.description),
    `# ${spec.typeName} (Resource)\n\n${spec.description}\n`,
    `## Example Usage\n\n${fence('terraform', spec.example)}`,
    `## Schema\n\n${schemaSection(spec.attributes, terraformView(spec).blocks ?? {}, spec.crossFieldRules?.map((r) => r.message) ?? [])}`,
    importSection(spec),
  ];
  return parts.join('\n');
}

/** The reference page of a data source. */
export function dataSourceDoc(ds: DataSourceSpec): string {
  return [
    frontMatter(`${ds.typeName} Data Source - sym`, ds.description),
    `# ${ds.typeName} (Data Source)\n\n${ds.description}\n`,
    `## Example Usage\n\n${fence('terraform', ds.example)}`,
    `## Schema\n\n${schemaSection(dataSourceAttributes(ds), {}, [])}`,
  ].join('\n');
}

/** The provider's index page. */
export function providerDoc(spec: ProviderSpec, example: string, resources: ResourceSpec[], dataSources: DataSourceSpec[]): string {
  const list = (items: string[], dir: string) => items.map((t) => `- [\`${t}\`](${dir}/${docName(t)}.md)`).join('\n');
  return [
    frontMatter('Provider: sym', spec.description),
    `# sym Provider\n\n${spec.description}\n`,
    "Source address: `opensym.dev/opensym/sym`. Configurations written for Sym's provider carry over.\n",
    `## Example Usage\n\n${fence('terraform', example)}`,
    `## Schema\n\n${schemaSection(spec.attributes, {}, [])}`,
    `## Resources\n\n${list(
      resources.map((r) => r.typeName),
      'resources',
    )}\n`,
    `## Data Sources\n\n${list(
      dataSources.map((d) => d.typeName),
      'data-sources',
    )}\n`,
  ].join('\n');
}

function frontMatter(title: string, description: string): string {
  return `---\npage_title: "${title}"\nsubcategory: ""\ndescription: |-\n  ${description}\n---\n`;
}

function fence(lang: string, body: string): string {
  return `\`\`\`${lang}\n${body.endsWith('\n') ? body : `${body}\n`}\`\`\`\n`;
}

/** Required / Optional / Read-Only lists, then one section per nested block (depth first). */
function schemaSection(attributes: Record<string, AttributeSpec>, blocks: Record<string, BlockSpec>, rules: string[]): string {
  const nested: string[] = [];
  const body = groupedLists(attributes, blocks, '', nested, '###');
  const notes = rules.length > 0 ? `\n### Rules\n\n${rules.map((r) => `- ${r}`).join('\n')}\n` : '';
  return `${body}${notes}${nested.join('')}`;
}

function groupedLists(attributes: Record<string, AttributeSpec>, blocks: Record<string, BlockSpec>, prefix: string, nested: string[], heading: '###' | 'plain'): string {
  const groups: Record<'Required' | 'Optional' | 'Read-Only', string[]> = { Required: [], Optional: [], 'Read-Only': [] };
  for (const [name, attr] of sortedEntries(attributes)) {
    const group = attr.presence === 'required' ? 'Required' : attr.presence === 'computed' ? 'Read-Only' : 'Optional';
    groups[group].push(attributeLine(name, attr));
  }
  for (const [name, block] of sortedEntries(blocks)) {
    const anchor = `nestedblock--${prefix}${name}`;
    const group = (block.minItems ?? 0) > 0 ? 'Required' : 'Optional';
    groups[group].push(`- \`${name}\` (${blockKind(block)}) ${block.description} (see [below for nested schema](#${anchor}))`);
    // Reserve the slot first so a parent's section comes before its children's.
    const slot = nested.length;
    nested.push('');
    const inner = groupedLists(block.attributes, block.blocks ?? {}, `${prefix}${name}--`, nested, 'plain');
    nested[slot] = `\n<a id="${anchor}"></a>\n### Nested Schema for \`${(prefix + name).split('--').join('.')}\`\n\n${inner}`;
  }
  return (Object.keys(groups) as (keyof typeof groups)[])
    .filter((g) => groups[g].length > 0)
    .map((g) => (heading === '###' ? `### ${g}\n\n${groups[g].join('\n')}\n` : `${g}:\n\n${groups[g].join('\n')}\n`))
    .join('\n');
}

function blockKind(block: BlockSpec): string {
  const limits = [block.minItems ? `Min: ${block.minItems}` : '', block.maxItems ? `Max: ${block.maxItems}` : ''].filter(Boolean);
  const name = block.nesting === 'single' ? 'Block' : block.nesting === 'list' ? 'Block List' : 'Block Map, keyed by label';
  return [name, ...limits].join(', ');
}

function attributeLine(name: string, attr: AttributeSpec): string {
  const notes: string[] = [attr.description];
  if (attr.oneOf) notes.push(`Must be one of: ${attr.oneOf.map((v) => `\`${v}\``).join(', ')}.`);
  if (attr.notSupportedYet?.length) notes.push(`Not supported yet (refused at plan time): ${attr.notSupportedYet.map((v) => `\`${v}\``).join(', ')}.`);
  if (attr.elementOneOf) notes.push(`Each element must be one of: ${attr.elementOneOf.map((v) => `\`${v}\``).join(', ')}.`);
  if (attr.pattern) notes.push(`Must match \`${attr.pattern}\`.`);
  if (attr.default !== undefined) notes.push(`Defaults to \`${JSON.stringify(attr.default)}\`.`);
  if (attr.references) notes.push(`References an entity of kind \`${attr.references}\`.`);
  if (attr.sourceOrPath) notes.push('Source code, or a path to a file read at plan time.');
  if (attr.requiresReplace) notes.push('Changing this forces a new resource.');
  const flags = [typeLabel(attr.type), attr.sensitive ? 'Sensitive' : ''].filter(Boolean).join(', ');
  return `- \`${name}\` (${flags}) ${notes.join(' ')}`;
}

function typeLabel(t: ValueType): string {
  if (t === 'string') return 'String';
  if (t === 'number') return 'Number';
  if (t === 'bool') return 'Boolean';
  if ('list' in t) return `List of ${typeLabel(t.list)}`;
  if ('set' in t) return `Set of ${typeLabel(t.set)}`;
  return `Map of ${typeLabel(t.map)}`;
}

function importSection(spec: ResourceSpec): string {
  const identity = spec.identity;
  const slugFrom = identity.by === 'slug' ? identity.slugFrom.map((a) => `\`${a}\``).join(' or ') : '';
  const how: Record<ResourceSpec['identity']['by'], string> = {
    name: 'by ID or by `name`',
    type_name: 'by ID or by `type:name`',
    path: 'by ID or by the secret `path`',
    singleton: 'by ID or by any string (there is one per organization)',
    slug:
      `by ID or, as in Sym, by ${identity.by === 'slug' && identity.typed ? '`type:slug`' : 'slug'}, the slug being ${slugFrom} ` +
      'lowercased and without a leading `#` (when several match, import by ID)',
    id: 'by ID only',
  };
  const address = `${spec.typeName}.example`;
  const cli = spec.importExamples.map((id) => `terraform import ${address} ${shellQuote(id)}`).join('\n');
  const blocks = spec.importExamples.map((id) => `import {\n  to = ${address}\n  id = ${JSON.stringify(id)}\n}`).join('\n\n');
  return `## Import\n\nImport is supported ${how[spec.identity.by]}:\n\n${fence('shell', cli)}\nOr with an \`import\` block (Terraform 1.5+, OpenTofu):\n\n${fence('terraform', blocks)}`;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_.:/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
