/** `pnpm bench`: runs every benchmark in turn and prints one markdown table on stdout. */
import { existsSync } from 'node:fs';
import { benchControlPlane } from './bench-control-plane';
import { benchExpiry } from './bench-expiry';
import { benchNoisyNeighbour } from './bench-noisy-neighbour';
import { benchPlan } from './bench-plan';
import { benchProviderStart } from './bench-provider-start';
import { benchRequests } from './bench-requests';
import { benchPython } from './bench-python';
import { benchSandbox } from './bench-sandbox';
import { benchSlack } from './bench-slack';
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

// OPENSYM_BENCH_ONLY=start,plan runs only those benchmarks (names: start, plan, control-plane,
// requests, expiry, sandbox, python, noisy-neighbour, slack), e.g. to repeat the provider rows while others use the machine.
const only = new Set(
  (process.env.OPENSYM_BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const wanted = (name: string): boolean => only.size === 0 || only.has(name);

const rows: BenchRow[] = [];
if (wanted('start')) rows.push(...(await guarded('provider start', benchProviderStart)));

let cp: ControlPlane | null = null;
let cpProblem = '';
if (!wanted('plan') && !wanted('control-plane')) {
  cpProblem = 'not selected';
} else if (!existsSync(controlPlaneServer)) {
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
  if (wanted('plan')) rows.push(...(await guarded('tofu plan', () => benchPlan(cp, cpProblem))));
  if (wanted('control-plane')) rows.push(...(await guarded('control plane', () => benchControlPlane(cp, cpProblem))));
} finally {
  await cp?.stop();
}
if (wanted('requests')) rows.push(...(await guarded('requests', benchRequests)));
if (wanted('expiry')) rows.push(...(await guarded('expiry lag', benchExpiry)));
if (wanted('sandbox')) rows.push(...(await guarded('sandbox', benchSandbox)));
if (wanted('python')) rows.push(...(await guarded('python', benchPython)));
if (wanted('noisy-neighbour')) rows.push(...(await guarded('noisy neighbour', benchNoisyNeighbour)));
if (wanted('slack')) rows.push(...(await guarded('slack', benchSlack)));

process.stdout.write(`${renderTable(rows)}\n`);
