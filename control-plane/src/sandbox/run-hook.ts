import { type CheckSourceOptions, type HookResult, type RunHookOptions, type Sandbox, createSandbox } from './create-sandbox';
import type { SourceProblem } from './source-problems';

let shared: Sandbox | undefined;

/** The process-wide sandbox behind {@link runHook} and {@link checkSource}, created on first use. */
export function defaultSandbox(): Sandbox {
  shared ??= createSandbox();
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
