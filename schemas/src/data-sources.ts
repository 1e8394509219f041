/** The `sym_*` data sources: look an entity up by its natural key. */
import type { DataSourceSpec } from './model';

/** Specs of every data source. */
export const dataSources: DataSourceSpec[] = [
  {
    typeName: 'sym_integration',
    kind: 'integrations',
    description: 'Looks up an integration by type and name, for example one managed in another Terraform configuration.',
    lookup: ['type', 'name'],
    resource: 'sym_integration',
    example: `data "sym_integration" "slack" {
  type = "slack"
  name = "main-slack"
}

output "slack_integration_id" {
  value = data.sym_integration.slack.id
}
`,
  },
  {
    typeName: 'sym_environment',
    kind: 'environments',
    description: 'Looks up an environment by name.',
    lookup: ['name'],
    resource: 'sym_environment',
    example: `data "sym_environment" "main" {
  name = "main"
}

output "environment_id" {
  value = data.sym_environment.main.id
}
`,
  },
  {
    typeName: 'sym_runtime',
    kind: 'runtimes',
    description: 'Looks up a runtime by name.',
    lookup: ['name'],
    resource: 'sym_runtime',
    example: `data "sym_runtime" "main" {
  name = "main-runtime"
}

output "runtime_id" {
  value = data.sym_runtime.main.id
}
`,
  },
  {
    typeName: 'sym_secrets',
    kind: 'secret-sources',
    description: 'Looks up a secret source by type and name.',
    lookup: ['type', 'name'],
    resource: 'sym_secrets',
    example: `data "sym_secrets" "env" {
  type = "env"
  name = "process-env"
}

output "secret_source_id" {
  value = data.sym_secrets.env.id
}
`,
  },
];
