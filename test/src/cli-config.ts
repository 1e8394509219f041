/** The CLI configuration that installs `opensym.dev/*` providers from the local filesystem mirror. */
import { writeFileSync } from 'node:fs';

/**
 * HCL for TF_CLI_CONFIG_FILE: opensym.dev providers come only from the mirror, anything else
 * directly (so a stray non-opensym provider fails loudly instead of silently resolving locally).
 */
export function cliConfigText(mirrorDir: string): string {
  const quoted = JSON.stringify(mirrorDir);
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${quoted}`,
    '    include = ["opensym.dev/*/*"]',
    '  }',
    '  direct {',
    '    exclude = ["opensym.dev/*/*"]',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Writes {@link cliConfigText} to `file`. */
export function writeCliConfig(file: string, mirrorDir: string): void {
  writeFileSync(file, cliConfigText(mirrorDir));
}
