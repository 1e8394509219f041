/** `sym_secrets`: a place secrets are read from (AWS Secrets Manager, the server's environment). */
import type { ResourceSpec } from '../model';
import { idAttribute, labelAttribute, nameAttribute, settingsAttribute, typeAttribute } from './common-attributes';

/** Secret source types accepted by `sym_secrets.type`. */
export const secretSourceTypes = ['aws_secrets_manager', 'env'] as const;

/** Spec of the `sym_secrets` resource (API kind `secret-sources`). */
export const secretsResource: ResourceSpec = {
  typeName: 'sym_secrets',
  kind: 'secret-sources',
  description:
    "A secret source tells the control plane where to read secret values from: AWS Secrets Manager, or environment variables of the control plane process (only those named with the operator's prefix, `SYM_SECRET_` by default).",
  version: 0,
  identity: { by: 'type_name' },
  attributes: {
    id: idAttribute,
    type: typeAttribute(secretSourceTypes, 'Where secrets are stored.'),
    name: nameAttribute('Name of the secret source, unique per organization and type (case-insensitive).'),
    label: labelAttribute('secret source'),
    settings: settingsAttribute(
      "Type-specific settings, for example `region` (default: the control plane's `AWS_REGION`) or `context_id` (a `permission_context` integration) for AWS Secrets Manager.",
    ),
  },
  example: `resource "sym_secrets" "this" {
  type  = "env"
  name  = "process-env"
  label = "Control plane environment"
}
`,
  importExamples: ['env:process-env'],
};
