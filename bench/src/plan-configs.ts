/** The Terraform configurations and CLI config the plan benchmark writes into its work directory. */

/** `count` custom `sym_target`s; `prefix` keeps names unique within the organization. */
export function symTargetsConfig(count: number, prefix: string): string {
  return `terraform {
  required_providers {
    sym = { source = "opensym.dev/opensym/sym" }
  }
}

# Configured from SYM_API_URL / SYM_JWT.
provider "sym" {}

resource "sym_target" "t" {
  count = ${count}
  type  = "custom"
  name  = "${prefix}-\${count.index}"
  label = "Bench target \${count.index}"
  settings = {
    identifier = "bench-\${count.index}"
  }
}
`;
}

/** `count` `random_id`s from hashicorp/random at `version` (3.9.0, or the bench's own Go baseline). */
export function randomIdsConfig(count: number, version: string): string {
  return `terraform {
  required_providers {
    random = { source = "hashicorp/random", version = "${version}" }
  }
}

resource "random_id" "r" {
  count       = ${count}
  byte_length = 8
}
`;
}

/** A CLI config that installs both providers from local mirrors only (no network). */
export function cliConfig(symMirrorDir: string, randomMirrorDir: string): string {
  return `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(symMirrorDir)}
    include = ["opensym.dev/*/*"]
  }
  filesystem_mirror {
    path    = ${JSON.stringify(randomMirrorDir)}
    include = ["registry.opentofu.org/hashicorp/random"]
  }
}
`;
}
