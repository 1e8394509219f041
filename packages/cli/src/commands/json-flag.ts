import type { Command } from 'commander';

/** Whether the global `--json` flag was given (before or after the subcommand). */
export function isJson(cmd: Command): boolean {
  return cmd.optsWithGlobals<{ json?: boolean }>().json === true;
}
