/** `sym_flows_filter`: the organization-wide hook deciding which flows a user sees. */
import type { ResourceSpec } from '../model';
import { emptyAsUnset, idAttribute, implementationAttribute, implementationHashAttribute, varsAttribute } from './common-attributes';

/** Spec of the `sym_flows_filter` resource (one per organization). */
export const flowsFilterResource: ResourceSpec = {
  typeName: 'sym_flows_filter',
  kind: 'flows-filter',
  description:
    "The flows filter is a reducer run when a user opens the request menu in Slack: `get_flows(user, flows, flow_vars)` returns the flows (or their ids or names) that user is offered; `flow_vars` are the filter's `vars`. A filter that fails offers no flow. An organization has at most one.",
  version: 0,
  identity: { by: 'singleton' },
  attributes: {
    id: idAttribute,
    implementation: implementationAttribute(
      'required',
      'flows-filter',
      'JavaScript module exporting `get_flows(user, flows, flow_vars)` (or Python defining it, as Sym does), or a path to a file holding it.',
    ),
    implementation_hash: implementationHashAttribute,
    vars: varsAttribute('filter'),
    integrations: {
      type: { map: 'string' },
      ...emptyAsUnset,
      description: 'Integrations available to the filter, keyed by role such as `slack_id`; values are `sym_integration` IDs.',
      references: 'integrations',
    },
  },
  example: `resource "sym_flows_filter" "this" {
  implementation = <<-EOT
    export function get_flows(user, flows, flow_vars) {
      return flows.filter((flow) => flow_vars.mode === "all" || !flow.name.startsWith("admin"));
    }
  EOT

  vars = {
    mode = "all"
  }
}
`,
  importExamples: ['flows-filter'],
};
