/** Runs a flow's hooks and reducers in the sandbox; a hook the module does not export is "absent", not an error. */
import type { JsonValue } from '@opensym/schemas';
import { runHook, SandboxError, type PagerDutyHost, type SymEvent } from '../../sandbox';

/** The outcome of calling one hook: absent (not exported) or its JSON result. */
export type HookOutcome = { exported: false } | { exported: true; value: JsonValue | undefined };

/** Calls hooks of a flow implementation; throws SandboxError when the hook fails. */
export interface HookRunner {
  run(source: string, name: string, event: SymEvent): Promise<HookOutcome>;
}

const missingExport = /the module does not export a function named/;

/** The sandbox-backed runner; `pagerduty` answers `pagerduty.on_call` / `is_on_call` in hooks. */
export function createSandboxHookRunner({ pagerduty, onLog }: { pagerduty?: PagerDutyHost; onLog?: (hook: string, message: string) => void } = {}): HookRunner {
  return {
    async run(source, name, event) {
      // A name that does not occur in the source cannot be exported: skip the sandbox round trip.
      if (!new RegExp(`\\b${name}\\b`).test(source)) return { exported: false };
      try {
        const result = await runHook({
          source,
          call: { kind: 'hook', name, event },
          host: { pagerduty, ...(onLog && { onLog: (line) => onLog(name, line.message) }) },
        });
        return { exported: true, value: result.value };
      } catch (err) {
        if (err instanceof SandboxError && missingExport.test(err.message)) return { exported: false };
        throw err;
      }
    },
  };
}
