/** Entry point of the `sym` bin: runs the CLI on the process's arguments and exits with its code. */
import { runSym } from './program';

process.exitCode = await runSym(process.argv.slice(2));
