/** A temporary working directory driven by one Terraform-compatible CLI. */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCliConfig } from './cli-config';
import type { CliBinary } from './ensure-clis';
import { describeResult, runProcess, type ProcessResult } from './run-process';
import { progress } from './progress';

/** Where the CLI installs the provider from, and where the provider talks to. */
export interface ProviderTarget {
  /** A filesystem mirror holding `opensym.dev/opensym/sym`. */
  mirror: string;
  apiUrl: string;
  token: string;
  org: string;
}

/** Options for one command. */
export interface CommandOptions {
  timeoutMs?: number;
  /** Exit codes that count as success (default `[0]`). */
  expectCodes?: number[];
}

/** Default per-command limit: init/apply spawn a Node provider several times. */
const defaultTimeoutMs = 180_000;

/**
 * A copy of an example (or fixture) in a temp directory plus the environment that points the CLI at
 * the local mirror and the control plane. Every command runs with `-no-color` and no input.
 */
export class Workspace {
  readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;

  private constructor(
    readonly cli: CliBinary,
    dir: string,
    target: ProviderTarget,
  ) {
    this.dir = dir;
    const cliConfig = path.join(dir, '.opensym-cli.tfrc');
    writeCliConfig(cliConfig, target.mirror);
    this.env = cliEnvironment(cliConfig, target);
  }

  /** Copies `sourceDir` (without local state or .terraform) into a fresh temp directory. */
  static fromDirectory(cli: CliBinary, sourceDir: string, target: ProviderTarget): Workspace {
    const dir = mkdtempSync(path.join(os.tmpdir(), `opensym-${path.basename(sourceDir)}-${cli.name}-`));
    cpSync(sourceDir, dir, {
      recursive: true,
      filter: (src) => !/(^|\/)(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate[^/]*|README\.md)$/.test(src),
    });
    return new Workspace(cli, dir, target);
  }

  /** Runs `cli args...`; resolves whatever the exit code is. */
  async run(args: string[], options: CommandOptions = {}): Promise<ProcessResult> {
    const label = `${this.cli.name} ${args.join(' ')}`;
    progress(`  $ ${label}`);
    const result = await runProcess(this.cli.path, args, { cwd: this.dir, env: this.env, timeoutMs: options.timeoutMs ?? defaultTimeoutMs });
    progress(`    → ${result.timedOut ? 'timed out' : `exit ${result.code}`} in ${(result.durationMs / 1000).toFixed(1)}s`);
    return result;
  }

  /** Runs a command and throws (with both output streams) unless it exits with an expected code. */
  async ok(args: string[], options: CommandOptions = {}): Promise<ProcessResult> {
    const result = await this.run(args, options);
    const expected = options.expectCodes ?? [0];
    if (result.timedOut || result.code === null || !expected.includes(result.code)) {
      throw new Error(describeResult(`${this.cli.name} ${args.join(' ')} (expected exit ${expected.join(' or ')})`, result));
    }
    return result;
  }

  /** Runs a command that must fail, returning its output for assertions on the diagnostics. */
  async fails(args: string[], options: CommandOptions = {}): Promise<ProcessResult> {
    const result = await this.run(args, options);
    if (result.timedOut || result.code === 0) {
      throw new Error(describeResult(`${this.cli.name} ${args.join(' ')} (expected a failure)`, result));
    }
    return result;
  }

  /** Reads a file of the working directory. */
  read(file: string): string {
    return readFileSync(path.join(this.dir, file), 'utf8');
  }

  /** Writes a file of the working directory. */
  write(file: string, text: string): void {
    writeFileSync(path.join(this.dir, file), text);
  }

  /** Whether the local state holds any resource (a cheap check before a clean-up destroy). */
  hasState(): boolean {
    const file = path.join(this.dir, 'terraform.tfstate');
    if (!existsSync(file)) return false;
    const state = JSON.parse(readFileSync(file, 'utf8')) as { resources?: unknown[] };
    return (state.resources ?? []).length > 0;
  }

  /** Deletes a file of the working directory (no error when absent). */
  remove(file: string): void {
    rmSync(path.join(this.dir, file), { force: true });
  }

  /** Removes the working directory. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A clean environment for the CLI: the caller's TF_* variables (e.g. a TF_CLI_CONFIG_FILE pointing
 * at a missing ~/.terraformrc) must not leak into the run.
 */
function cliEnvironment(cliConfig: string, target: ProviderTarget): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('TF_') && !key.startsWith('SYM_')) env[key] = value;
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfig,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    SYM_API_URL: target.apiUrl,
    SYM_JWT: target.token,
    SYM_ORG: target.org,
  };
}
