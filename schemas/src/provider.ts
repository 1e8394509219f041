/** The `provider "sym" {}` configuration block. */
import type { ProviderSpec } from './model';

/** Default control plane URL when neither `api_url` nor `SYM_API_URL` is set. */
export const defaultApiUrl = 'http://127.0.0.1:8080';

/** Spec of the provider configuration. */
export const providerSpec: ProviderSpec = {
  description: 'The sym provider manages OpenSym access workflows (flows, strategies, targets, integrations, ...) through the control plane API.',
  attributes: {
    api_url: {
      type: 'string',
      presence: 'optional',
      description: `Base URL of the control plane; a trailing \`/api/v1\`, as Sym's provider takes it, is accepted. Falls back to the SYM_API_URL environment variable, then to ${defaultApiUrl}.`,
      pattern: '^https?://',
    },
    org: {
      type: 'string',
      presence: 'optional',
      description:
        "Organization slug. Falls back to the SYM_ORG environment variable. When the token is set in the provider block, it must match the token's organization; as in Sym's provider, a token from SYM_JWT (or jwt_env_var) is not checked, nor any when SYM_TF_SKIP_VALIDATION is set.",
    },
    token: {
      type: 'string',
      presence: 'optional',
      sensitive: true,
      description: 'API token. Falls back to the environment variable named by jwt_env_var, then to SYM_JWT.',
    },
    jwt_env_var: {
      type: 'string',
      presence: 'optional',
      description: 'Name of the environment variable holding the API token, used instead of SYM_JWT.',
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
    },
  },
};

/** A provider block for the docs. */
export const providerExample = `terraform {
  required_providers {
    sym = {
      source = "opensym.dev/opensym/sym"
    }
  }
}

# api_url and the token usually come from SYM_API_URL and SYM_JWT.
provider "sym" {
  api_url = "http://127.0.0.1:8080"
  org     = "default"
}
`;
