/** Runs a flow's hooks and reducers in the sandbox; a hook the module does not export is "absent", not an error. */
import type { JsonValue } from '@opensym/schemas';
import { type AwsHost, type DirectoryHost, HostCallError, SandboxError, type PagerDutyHost, type Sandbox, type SandboxHost, type SlackHost, type SymEvent } from '../../sandbox';
import { mentions } from './source-mentions';

/** The outcome of calling one hook: absent (not exported) or its JSON result. */
export type HookOutcome = { exported: false } | { exported: true; value: JsonValue | undefined };

/** Calls hooks of a flow implementation; throws SandboxError when the hook fails. */
export interface HookRunner {
  /**
   * `orgId` and `event.flow.environment_id` select the doors out (PagerDuty) of the flow's
   * environment; `args` follow the event (Sym's `get_identity(event, service_type, external_id, user)`).
   */
  run(source: string, name: string, event: SymEvent, orgId?: string, args?: JsonValue[]): Promise<HookOutcome>;
}

/** Finds the PagerDuty host of a flow's environment (undefined: hooks calling PagerDuty are refused). */
export type PagerDutyLookup = (orgId: string, environmentId: string | null) => Promise<PagerDutyHost | undefined>;

/**
 * A PagerDuty door that finds the environment's client on first use. Most hooks never call
 * PagerDuty, and the lookup reads the database, so it must not run for every hook call.
 */
export function lazyPagerDuty(lookup: () => Promise<PagerDutyHost | undefined>): PagerDutyHost {
  let found: Promise<PagerDutyHost> | undefined;
  const client = () =>
    (found ??= lookup().then((host) => {
      // The answer the sandbox gives when a flow has no PagerDuty door at all.
      if (!host) throw new HostCallError('host_denied', 'PagerDuty is not configured for this flow');
      return host;
    }));
  return {
    onCall: async (query) => (await client()).onCall(query),
    isOnCall: async (user, query) => (await client()).isOnCall(user, query),
  };
}

/** Finds the Slack door of a flow's environment (undefined: `slack.send_message` is refused). */
export type SlackLookup = (orgId: string, environmentId: string | null) => Promise<SlackHost | undefined>;

/** A Slack door that finds the workspace only when a hook sends a message. */
function lazySlack(lookup: () => Promise<SlackHost | undefined>): SlackHost {
  return {
    async sendMessage(destination, text) {
      const host = await lookup();
      if (!host) throw new HostCallError('host_denied', 'Slack is not configured for this flow');
      await host.sendMessage(destination, text);
    },
  };
}

/** The Okta, Google and GitHub doors of a flow's environment, each looked up on its first call (integrations/directory). */
export type DirectoryLookup = (orgId: string, environmentId: string | null) => DirectoryHost;

/** The AWS door of a hook: built per invocation, reading nothing until a helper is called. */
export type AwsLookup = (scope: { orgId: string; environmentId: string | null; requestId: string }) => AwsHost;

/** `event.flow.environment` (name, integrations by role) of a flow's environment. */
export type EnvironmentLookup = (orgId: string, environmentId: string) => Promise<JsonValue>;

/**
 * The doors out of one invocation, each built when the guest first reaches for it (through the
 * sandbox's host dispatcher, made on the first host call): most hooks make no host call, and a
 * door costs allocations and, for AWS and the directories, the process's credentials scrubber.
 * A class, not an object literal with getters, which V8 builds far more slowly.
 */
class InvocationHosts implements SandboxHost {
  #pagerduty: PagerDutyHost | undefined;
  #slack: SlackHost | undefined;
  #directory: DirectoryHost | undefined;
  #aws: AwsHost | undefined;

  constructor(
    private readonly lookups: { pagerduty?: PagerDutyLookup; slack?: SlackLookup; directory?: DirectoryLookup; aws?: AwsLookup },
    private readonly scope: { orgId: string; environmentId: string | null; requestId: string },
  ) {}

  get pagerduty(): PagerDutyHost | undefined {
    const { pagerduty } = this.lookups;
    const { orgId, environmentId } = this.scope;
    return pagerduty && (this.#pagerduty ??= lazyPagerDuty(() => pagerduty(orgId, environmentId)));
  }

  get slack(): SlackHost | undefined {
    const { slack } = this.lookups;
    const { orgId, environmentId } = this.scope;
    return slack && (this.#slack ??= lazySlack(() => slack(orgId, environmentId)));
  }

  get directory(): DirectoryHost | undefined {
    const { directory } = this.lookups;
    return directory && (this.#directory ??= directory(this.scope.orgId, this.scope.environmentId));
  }

  get aws(): AwsHost | undefined {
    const { aws } = this.lookups;
    return aws && (this.#aws ??= aws(this.scope));
  }
}

/** The runner over `sandbox` (built by `compose.ts`; there is no process-wide default). */
export function createSandboxHookRunner({
  sandbox,
  pagerduty,
  slack,
  directory,
  aws,
  environment,
}: {
  sandbox: Pick<Sandbox, 'run'>;
  pagerduty?: PagerDutyLookup;
  slack?: SlackLookup;
  directory?: DirectoryLookup;
  aws?: AwsLookup;
  environment?: EnvironmentLookup;
}): HookRunner {
  const lookups = { pagerduty, slack, directory, aws };
  return {
    async run(source, name, given, orgId, args) {
      // A name that does not occur in the source cannot be exported: skip the sandbox round trip.
      if (!mentions(source, name)) return { exported: false };
      const environmentId = typeof given.flow?.environment_id === 'string' ? given.flow.environment_id : null;
      // Reading the environment costs queries: only for code that can mention it.
      const event = environment && orgId && environmentId && mentions(source, 'environment') ? { ...given, flow: { ...given.flow, environment: await environment(orgId, environmentId) } } : given;
      // Warm starts only within one org's flow (module state persists like a warm serverless function).
      const reuseScope = orgId && typeof event.flow?.id === 'string' ? `${orgId}:${event.flow.id}` : undefined;
      try {
        // `tenant`: run slots are shared fairly across organizations (sandbox DECISIONS.md §6).
        const result = await sandbox.run({
          source,
          call: { kind: 'hook', name, event, ...(args && { args }) },
          host: orgId ? new InvocationHosts(lookups, { orgId, environmentId, requestId: typeof event.run?.id === 'string' ? event.run.id : 'hook' }) : {},
          ...(reuseScope && { reuseScope }),
          ...(orgId && { tenant: orgId }),
        });
        return { exported: true, value: result.value };
      } catch (err) {
        // By code: a hook's own error that happens to say "does not export" is still an error.
        if (err instanceof SandboxError && err.code === 'missing_export') return { exported: false };
        throw err;
      }
    },
  };
}
