/** `sym_runtime`: the execution context (e.g. AWS permissions) flows of an environment use. */
import type { ResourceSpec } from '../model';
import { idAttribute, labelAttribute, nameAttribute, referenceAttribute } from './common-attributes';

/** Spec of the `sym_runtime` resource. */
export const runtimeResource: ResourceSpec = {
  typeName: 'sym_runtime',
  kind: 'runtimes',
  description: 'A runtime is the context strategies run in, such as the AWS role (a `permission_context` integration) used to call customer infrastructure.',
  version: 0,
  identity: { by: 'name' },
  attributes: {
    id: idAttribute,
    name: nameAttribute('Name of the runtime, unique in the organization (case-insensitive).'),
    label: labelAttribute('runtime'),
    context_id: referenceAttribute('integrations', 'optional', 'ID of the `sym_integration` (usually of type `permission_context`) whose permissions the runtime assumes.'),
  },
  example: `resource "sym_integration" "runtime_context" {
  type        = "permission_context"
  name        = "runtime-context"
  external_id = "123456789012"

  settings = {
    role_arn = "arn:aws:iam::123456789012:role/opensym/runtime"
  }
}

resource "sym_runtime" "this" {
  name       = "main-runtime"
  label      = "Main runtime"
  context_id = sym_integration.runtime_context.id
}
`,
  importExamples: ['main-runtime'],
};
