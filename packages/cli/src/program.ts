import { Command, CommanderError } from 'commander';
import { loginCommand } from './commands/login';
import { requestCommand } from './commands/request';
import { requestsCommands } from './commands/requests';
import { tokensCommands } from './commands/tokens';
import { usersCommands } from './commands/users';
import { createContext } from './context';
import { processIo, reportError, type Io } from './io';

/** The CLI's version (the package's). */
export const VERSION = '0.1.0';

/**
 * Runs `sym` with `argv` (without node and the script) and resolves to its exit code; every
 * failure is reported (see {@link reportError}) instead of thrown.
 */
export async function runSym(argv: string[], io: Io = processIo(), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const ctx = createContext(io, env);
  const program = new Command('sym')
    .description('OpenSym from the command line: request, approve and manage access')
    .version(VERSION)
    .option('--json', 'machine-readable output on stdout (errors as problem JSON)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run sym --help for usage)');
  for (const add of [loginCommand, requestCommand, requestsCommands, usersCommands, tokensCommands]) add(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    return reportError(io, program.opts<{ json?: boolean }>().json === true || argv.includes('--json'), err);
  }
}
