/**
 * The schema model as Terraform sees it. The specs describe the API's shape; where Terraform's
 * differs (a `single` block served as a list of at most one, `terraformNesting`), the wire
 * schema, the docs and the provider all work on this view, so they agree.
 */
import type { BlockSpec, ResourceSpec } from './model';

/** The resource with every `terraformNesting: 'list'` block turned into a list block of at most one. */
export function terraformView(spec: ResourceSpec): ResourceSpec {
  if (!spec.blocks) return spec;
  return { ...spec, blocks: viewBlocks(spec.blocks) };
}

function viewBlocks(blocks: Record<string, BlockSpec>): Record<string, BlockSpec> {
  return Object.fromEntries(Object.entries(blocks).map(([name, block]) => [name, viewBlock(block)]));
}

function viewBlock(block: BlockSpec): BlockSpec {
  const inner = block.blocks ? { blocks: viewBlocks(block.blocks) } : {};
  // The marker stays on the view so the provider knows the API holds the element as an object.
  if (block.terraformNesting === 'list') return { ...block, ...inner, nesting: 'list', maxItems: 1 };
  return { ...block, ...inner };
}
