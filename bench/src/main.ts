/** `pnpm bench`: runs every benchmark in turn and prints one markdown table on stdout. */
import { existsSync } from 'node:fs';
import { benchControlPlane } from './bench-control-plane';
import { benchExpiry } from './bench-expiry';
import { benchPlan } from './bench-plan';
import { benchProviderStart } from './bench-provider-start';
import { benchRequests } from './bench-requests';
import { benchSandbox } from './bench-sandbox';
import { controlPlaneServer } from './paths';
import { progress } from './progress';
import type { BenchRow } from './render-table';
import { renderTable } from './render-table';
import type { ControlPlane } from './start-control-plane';
import { startControlPlane } from './start-control-plane';

/** Runs one benchmark; an unexpected failure becomes a failed row rather than ending the run. */
async function guarded(name: string, run: () => Promise<BenchRow | BenchRow[]>): Promise<BenchRow[]> {
  try {
    const rows = await run();
    return Array.isArray(rows) ? rows : [rows];
  } catch (error) {
    progress(`${name}: failed: ${(error as Error).stack ?? error}`);
    return [{ benchmark: name, measured: `error: ${(error as Error).message.split('\n')[0].slice(0, 200)}`, target: '—', ok: false }];
  }
}

const rows: BenchRow[] = [];
rows.push(...(await guarded('provider start', benchProviderStart)));

let cp: ControlPlane | null = null;
let cpProblem = '';
if (!existsSync(controlPlaneServer)) {
  cpProblem = 'no control-plane/dist/server.js (run `pnpm build`)';
} else {
  try {
    progress('starting the control plane');
    cp = await startControlPlane();
    progress(`control plane at ${cp.url}`);
  } catch (error) {
    cpProblem = `control plane did not start: ${(error as Error).message.split('\n')[0].slice(0, 200)}`;
    progress(cpProblem);
  }
}
try {
  // Plan first: the load test fills the organization with thousands of targets.
  rows.push(...(await guarded('tofu plan', () => benchPlan(cp, cpProblem))));
  rows.push(...(await guarded('control plane', () => benchControlPlane(cp, cpProblem))));
} finally {
  await cp?.stop();
}
rows.push(...(await guarded('requests', benchRequests)));
rows.push(...(await guarded('expiry lag', benchExpiry)));
rows.push(...(await guarded('sandbox', benchSandbox)));

process.stdout.write(`${renderTable(rows)}\n`);
