/** Every example under every CLI against the control plane's embedded PGlite database. */
import { test } from 'node:test';
import { ControlPlane, progress, runLifecycle, selectExamples, setupSuite } from '../src/index';

const { clis, mirror } = await setupSuite();

for (const scenario of selectExamples(process.env.OPENSYM_E2E_EXAMPLES)) {
  for (const cli of clis) {
    const label = `${scenario.example} · ${cli.name} · pglite`;
    test(label, { timeout: 20 * 60_000 }, async (t) => {
      // A fresh control plane per scenario: a failed run cannot leave names behind for the next.
      const controlPlane = await ControlPlane.start({ label });
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
