/**
 * Benchmark 2: `tofu plan` (refresh on) over 300 applied `sym_target`s against the same over
 * 300 `random_id`s from a Go provider (terraform-provider-random, or the same resource on the same
 * framework in bench/go-baseline), in one run on one machine, so the ratio says how much our Node
 * provider costs compared with a Go one.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatMs } from './format';
import { median } from './median';
import { cliBinDir, platform, providerLauncher, providerMirrorDir, tofuBinary } from './paths';
import { cliConfig, randomIdsConfig, symTargetsConfig } from './plan-configs';
import { progress } from './progress';
import type { RandomProvider } from './random-baseline';
import { randomProvider } from './random-baseline';
import type { BenchRow } from './render-table';
import { skippedRow } from './render-table';
import { runCommand } from './run-command';
import type { ControlPlane } from './start-control-plane';

const RESOURCES = 300;
const PLANS = 5;
const TARGET_RATIO = 1.5;
const RATIO_NAME = `tofu plan ratio sym_target/random_id (×${RESOURCES}, median of ${PLANS})`;
const SYM_NAME = `tofu plan, ${RESOURCES} sym_target (refresh)`;
const randomName = (label: string) => `tofu plan, ${RESOURCES} ${label} (refresh)`;

/** The three rows, all skipped for the same reason. */
function skipped(why: string): BenchRow[] {
  return [skippedRow(SYM_NAME, '—', why), skippedRow(randomName('random_id'), '—', why), skippedRow(RATIO_NAME, `≤ ${TARGET_RATIO}×`, why)];
}

/** Runs tofu in `dir`, throwing with its output on an unexpected exit code. */
async function tofu(tofuBin: string, dir: string, env: NodeJS.ProcessEnv, args: string[], okCodes = [0]) {
  const result = await runCommand(tofuBin, [...args, '-no-color'], { cwd: dir, env });
  if (!okCodes.includes(result.code ?? -1)) {
    throw new Error(`tofu ${args[0]} in ${dir} exited ${result.code}: ${(result.stderr || result.stdout).slice(-1500)}`);
  }
  return result;
}

/** Runs the plan benchmark against a running control plane; returns the sym, random and ratio rows. */
export async function benchPlan(cp: ControlPlane | null, cpProblem: string): Promise<BenchRow[]> {
  const tofuBin = tofuBinary();
  if (!tofuBin) return skipped(`no tofu in ${cliBinDir} (run scripts/install-clis.sh)`);
  if (!providerLauncher()) return skipped('no provider in dist/terraform-mirror (run `pnpm build`)');
  if (!cp) return skipped(cpProblem);
  let random: RandomProvider;
  try {
    random = await randomProvider();
  } catch (error) {
    return skipped((error as Error).message);
  }

  const work = mkdtempSync(join(tmpdir(), 'opensym-bench-plan-'));
  try {
    // Copied rather than symlinked: the CLI hashes the package contents into the lock file.
    const randomMirror = join(work, 'random-mirror');
    const randomPkg = join(randomMirror, 'registry.opentofu.org', 'hashicorp', 'random', random.version, platform);
    mkdirSync(randomPkg, { recursive: true });
    copyFileSync(random.binary, join(randomPkg, 'terraform-provider-random'));
    writeFileSync(join(work, 'cli.tfrc'), cliConfig(providerMirrorDir, randomMirror));

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_CLI_CONFIG_FILE: join(work, 'cli.tfrc'),
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
      SYM_API_URL: cp.url,
      SYM_JWT: cp.token,
    };
    // Provider logs would only slow both sides down unevenly.
    delete env.TF_LOG;
    delete env.TF_LOG_PROVIDER;
    delete env.TF_LOG_PATH;

    const dirs = { sym: join(work, 'sym'), random: join(work, 'random') };
    mkdirSync(dirs.sym);
    mkdirSync(dirs.random);
    writeFileSync(join(dirs.sym, 'main.tf'), symTargetsConfig(RESOURCES, `bench-${Date.now().toString(36)}`));
    writeFileSync(join(dirs.random, 'main.tf'), randomIdsConfig(RESOURCES, random.version));

    for (const [name, dir] of Object.entries(dirs)) {
      progress(`plan: ${name}: tofu init`);
      await tofu(tofuBin, dir, env, ['init', '-input=false']);
      progress(`plan: ${name}: tofu apply (${RESOURCES} resources)`);
      const apply = await tofu(tofuBin, dir, env, ['apply', '-auto-approve', '-input=false']);
      progress(`plan: ${name}: applied in ${formatMs(apply.ms)}`);
    }

    const times: Record<keyof typeof dirs, number[]> = { sym: [], random: [] };
    const drifted = new Set<string>();
    // Interleaved so that any drift in machine load hits both sides alike.
    for (let i = 0; i < PLANS; i++) {
      for (const name of ['sym', 'random'] as const) {
        // -detailed-exitcode: 0 means no changes, which an applied, untouched config must give.
        const plan = await tofu(tofuBin, dirs[name], env, ['plan', '-input=false', '-refresh=true', '-detailed-exitcode'], [0, 2]);
        if (plan.code === 2) {
          drifted.add(name);
          progress(`plan: ${name}: WARNING: plan ${i + 1} shows changes after apply`);
        }
        times[name].push(plan.ms);
        progress(`plan: ${name}: plan ${i + 1}/${PLANS}: ${formatMs(plan.ms)}`);
      }
    }

    const symMs = median(times.sym);
    const randomMs = median(times.random);
    const ratio = symMs / randomMs;
    // A plan with changes did different work from a clean refresh, so the row says so and fails.
    const note = (name: string) => (drifted.has(name) ? ' (plan showed changes)' : '');
    return [
      { benchmark: SYM_NAME, measured: formatMs(symMs) + note('sym'), target: '—', ok: drifted.has('sym') ? false : null },
      { benchmark: randomName(random.label), measured: formatMs(randomMs) + note('random'), target: '—', ok: drifted.has('random') ? false : null },
      { benchmark: RATIO_NAME, measured: `${ratio.toFixed(2)}×`, target: `≤ ${TARGET_RATIO}×`, ok: ratio <= TARGET_RATIO },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
