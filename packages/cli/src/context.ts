import { createSymClient, type SymClient } from '@opensym/api-client';
import { resolveCredentials } from './credentials';
import type { Io } from './io';

/** What every command gets: its streams, the environment, a client, and the global `--json`. */
export interface Context {
  io: Io;
  env: NodeJS.ProcessEnv;
  /** The code `sym` exits with when the command succeeds (`request --wait` sets the outcome's). */
  exitCode: number;
  /** A client with the resolved credentials (env over the stored file). */
  client(): Promise<SymClient>;
  /** An AbortSignal that Ctrl-C aborts, for as long as `listen` runs (the default handler exits). */
  untilInterrupted<T>(listen: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

/** The context of one `sym` run. */
export function createContext(io: Io, env: NodeJS.ProcessEnv): Context {
  let client: SymClient | undefined;
  return {
    io,
    env,
    exitCode: 0,
    async client() {
      if (!client) {
        const { apiUrl, token } = await resolveCredentials(env);
        client = createSymClient({ baseUrl: apiUrl, token });
      }
      return client;
    },
    async untilInterrupted(listen) {
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.on('SIGINT', onSigint);
      try {
        return await listen(controller.signal);
      } finally {
        process.off('SIGINT', onSigint);
      }
    },
  };
}
