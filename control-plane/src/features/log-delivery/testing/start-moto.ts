/**
 * Starts `moto_server` (PyPI `moto[server]`) on a free loopback port, as
 * `features/strategies/lambda-moto.test.ts` does: the executable comes from
 * `OPENSYM_TEST_MOTO_SERVER`; without it the moto tests are skipped. Kept in this one file so the
 * suite's shared moto start-up can replace it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../../test-support/free-port';
import { waitFor } from '../../../jobs/testing/wait-for';

/** The `moto_server` to run, or undefined (skip). */
export const motoServerPath = process.env.OPENSYM_TEST_MOTO_SERVER;

/** A running moto. */
export interface Moto {
  url: string;
  /** The AWS_* variables that point the SDK at it. */
  env: Record<string, string>;
  stop(): void;
}

/** Spawns moto and waits until it answers. */
export async function startMoto(executable = motoServerPath!): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  await waitFor(
    'moto_server to answer',
    async () => {
      if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
      return fetch(url).then(
        () => true,
        () => false,
      );
    },
    30_000,
    100,
  );
  return {
    url,
    env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: url },
    stop: () => void child.kill(),
  };
}
