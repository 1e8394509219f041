import { type CheckSourceOptions, type HookResult, type RunHookOptions, type Sandbox, type SandboxOptions, createSandbox } from './create-sandbox';
import type { SourceProblem } from './source-problems';

let shared: Sandbox | undefined;
let sharedOptions: SandboxOptions = {};

/**
 * Sets the options of the process-wide sandbox (the server calls it once at startup with the
 * operator's settings: egress exceptions, wall-clock limit, per-organization share). A sandbox
 * already created with other options is closed and replaced on next use.
 */
export function configureDefaultSandbox(options: SandboxOptions): void {
  if (JSON.stringify(options) === JSON.stringify(sharedOptions)) return;
  sharedOptions = options;
  const previous = shared;
  shared = undefined;
  void previous?.close();
}

/** The process-wide sandbox behind {@link runHook} and {@link checkSource}, created on first use. */
export function defaultSandbox(): Sandbox {
  shared ??= createSandbox(sharedOptions);
  return shared;
}

/** Runs one hook, reducer or strategy method in the shared sandbox; throws SandboxError on failure. */
export function runHook(options: RunHookOptions): Promise<HookResult> {
  return defaultSandbox().run(options);
}

/** Plan-time validation of a flow or strategy implementation: syntax, imports, exported names. */
export function checkSource(source: string, options: CheckSourceOptions): Promise<SourceProblem[]> {
  return defaultSandbox().check(source, options);
}
