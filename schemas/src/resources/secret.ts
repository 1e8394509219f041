/** `sym_secret`: one secret value in a secret source, referenced by integrations. */
import type { ResourceSpec } from '../model';
import { idAttribute, labelAttribute, referenceAttribute, settingsAttribute } from './common-attributes';

/** Spec of the `sym_secret` resource. */
export const secretResource: ResourceSpec = {
  typeName: 'sym_secret',
  kind: 'secrets',
  description: 'A secret points at one value in a `sym_secrets` source (a Secrets Manager secret name, or an environment variable name). The value itself never passes through Terraform.',
  version: 0,
  identity: { by: 'path' },
  attributes: {
    id: idAttribute,
    path: {
      type: 'string',
      presence: 'required',
      description:
        "Location of the secret in its source (unique per source together with `settings.json_key`, so one JSON secret can back several `sym_secret`s): a Secrets Manager secret name or an environment variable name. Environment variables are readable only when their name starts with the operator's prefix (`SYM_SECRET_` unless the control plane sets `SYM_ENV_SECRET_PREFIX`).",
      minLength: 1,
    },
    source_id: referenceAttribute('secret-sources', 'required', 'ID of the `sym_secrets` source holding the secret.'),
    label: labelAttribute('secret'),
    settings: settingsAttribute('Extra settings; `json_key` picks one key when the stored secret is a JSON object.'),
  },
  example: `resource "sym_secrets" "this" {
  type = "env"
  name = "process-env"
}

resource "sym_secret" "api_key" {
  path      = "SYM_SECRET_CUSTOM_API_KEY"
  source_id = sym_secrets.this.id
  label     = "Custom API key"
}
`,
  importExamples: ['SYM_SECRET_CUSTOM_API_KEY'],
};
