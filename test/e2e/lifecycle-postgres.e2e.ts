/**
 * The examples against the control plane on a PostgreSQL 15 server. Only OpenTofu by default: the
 * database layer is the same for every CLI and the full CLI matrix already runs on PGlite, while
 * repeating it here would push the suite well past 15 minutes on 2 cores (each scenario is about
 * 20 CLI commands, each starting the Node provider several times). `OPENSYM_E2E_FULL_MATRIX=1`
 * runs every CLI here too.
 */
import { after, before, test } from 'node:test';
import { ControlPlane, PostgresServer, progress, runLifecycle, selectClis, selectExamples, setupSuite } from '../src/index';

const { clis: all, mirror } = await setupSuite();
const clis = process.env.OPENSYM_E2E_FULL_MATRIX === '1' ? all : selectClis(all, 'tofu');

let postgres: PostgresServer | undefined;
before(async () => {
  postgres = await PostgresServer.start();
});
after(async () => {
  await postgres?.stop();
});

for (const scenario of selectExamples(process.env.OPENSYM_E2E_EXAMPLES)) {
  for (const cli of clis) {
    const label = `${scenario.example} · ${cli.name} · postgres`;
    test(label, { timeout: 20 * 60_000 }, async (t) => {
      // One database per scenario, same reason as one PGlite directory per scenario.
      const databaseUrl = await postgres!.createDatabase();
      const controlPlane = await ControlPlane.start({ databaseUrl, label });
      const started = Date.now();
      try {
        await runLifecycle(t, { scenario, cli, controlPlane, mirror, label });
      } finally {
        progress(`${label} finished in ${((Date.now() - started) / 1000).toFixed(0)}s`);
        await controlPlane.stop();
      }
    });
  }
}
