/**
 * `custom` strategies: the user's AccessStrategy subclass (the strategy's `implementation`) runs
 * in the sandbox, constructed with its integration. Secrets are read through the secret reader
 * on `retrieve_value()`, HTTP is limited to the integration's `allowed_hosts`, and identities go
 * through the IdentityCache table. A `SymException` the code raises is the author's own failure:
 * final (not retried), its message kept as written (secrets redacted).
 */
import type { Logger } from 'pino';
import { implementationLanguage } from '@opensym/schemas/implementation-rules';
import { type HookResult, type RunHookOptions, SandboxError, type SandboxErrorCode } from '../../sandbox';
import { type AccessStrategyRunner, type StrategyInvocation, type StrategyOutcome, StrategyError } from './access-strategy';
import type { EntityRecord } from '../../shared/entity-record';
import type { Env } from './aws-client-config';
import { type AwsCredentialResolver, roleSessionName, secretSourceCredentials } from './aws-role-credentials';
import type { IdentityCacheStore } from './identity-cache-store';
import { type EntityReader, loadIntegration } from './integration-loader';
import type { SecretReader } from './secret-reader';
import { scopedIdentityCache } from './scoped-identity-cache';
import { processScrubber, type SecretScrubber } from './secret-scrubber';

/** What the custom runner needs; `sandbox` is the one `compose.ts` builds in production. */
export interface CustomStrategyDeps {
  entities: EntityReader;
  identityCache: IdentityCacheStore;
  secrets: SecretReader;
  sandbox: { run(options: RunHookOptions): Promise<HookResult> };
  logger: Logger;
  env: Env;
  /** Secrets Manager reads use the environment's runtime role (and the source's context_id) when given. */
  credentials?: AwsCredentialResolver;
}

/** Sandbox failures that the same code and configuration will hit again. */
const PERMANENT: ReadonlySet<SandboxErrorCode> = new Set(['syntax', 'forbidden_import', 'memory', 'stack', 'result_too_large', 'host_denied']);

/** The runner for one `custom` strategy entity. */
export function createCustomStrategyRunner(deps: CustomStrategyDeps, strategy: EntityRecord): AccessStrategyRunner {
  const label = strategy.name ?? strategy.id;
  const run = async (invocation: StrategyInvocation): Promise<StrategyOutcome> => {
    const source = strategy.data.implementation;
    if (typeof source !== 'string' || source.trim() === '') {
      throw new StrategyError(`custom strategy ${label} has no implementation`, false);
    }
    const integration = await loadIntegration(deps.entities, invocation.orgId, strategy);
    const scrubber = processScrubber(deps.env);
    // Host-side failures (a missing secret) keep their own retryability instead of becoming a guest runtime error.
    let hostFailure: StrategyError | undefined;
    // The only way a custom strategy changes anything outside the control plane is `sym/http`
    // (Python: `requests`): before its first call, nothing can have been granted.
    let reachedOut = false;
    const values = new Map<string, Promise<string>>();
    const user = invocation.event.user;
    const userKey = String(user.id !== undefined ? user.id : user.email);
    const log = deps.logger.child({ orgId: invocation.orgId, requestId: invocation.requestId, strategyId: strategy.id, action: invocation.action });

    try {
      const result = await deps.sandbox.run({
        source,
        // The extension tells the sandbox the language (Sym's custom_strategy.py, or JavaScript).
        filename: `${strategy.name ?? 'custom_strategy'}${implementationLanguage(source) === 'python' ? '.py' : '.js'}`,
        // Warm starts within this org's strategy; a module that read a secret is never kept.
        reuseScope: `${invocation.orgId}:${strategy.id}`,
        // Run slots are shared fairly across organizations; this one's share is capped.
        tenant: invocation.orgId,
        call: { kind: 'strategy', method: invocation.action, targetId: invocation.target?.id ?? null, event: invocation.event, integration: integration.sandbox },
        host: {
          allowedHosts: integration.allowedHosts,
          retrieveSecret: async (ref) => {
            const location = integration.secrets.get(ref.id);
            if (!location) throw new Error(`secret ${ref.id} is not one of the integration's secrets`);
            let value = values.get(ref.id);
            if (!value) {
              const environmentId = invocation.event.flow?.environment_id;
              const scope = { orgId: invocation.orgId, environmentId: typeof environmentId === 'string' ? environmentId : null, sessionName: roleSessionName(invocation.requestId) };
              const credentials = deps.credentials ? secretSourceCredentials(deps.credentials, deps.entities, scope, location.source) : Promise.resolve(undefined);
              values.set(ref.id, (value = credentials.then((c) => deps.secrets.read(location, c))));
            }
            try {
              const text = await value;
              scrubber.add(text);
              return text;
            } catch (error) {
              hostFailure ??= error instanceof StrategyError ? error : undefined;
              throw error;
            }
          },
          identityCache: scopedIdentityCache(deps.identityCache, userKey, integration.sandbox.id),
          onLog: (line) => log.info({ guestLevel: line.level }, `guest: ${scrubber.scrub(line.message)}`),
          onHostCall: (op) => {
            if (op === 'http') reachedOut = true;
          },
        },
      });
      return result.value === undefined ? {} : { body: result.value };
    } catch (error) {
      if (hostFailure && error instanceof SandboxError && error.code === 'runtime') {
        throw new StrategyError(scrubber.scrub(`custom strategy ${label} ${invocation.action} failed: ${hostFailure.message}`), hostFailure.retryable);
      }
      if (error instanceof SandboxError && error.code === 'hook_exception') {
        // Final: the same code would raise again. Only an escalation that raised before any HTTP
        // call proves nothing was granted (`notApplied`, honoured on a first attempt only); after
        // one, or on deescalate, the grant may be live, so it is taken back or kept failing visibly.
        const notApplied = invocation.action === 'escalate' && !reachedOut;
        const message = scrubber.scrub(error.message) || `custom strategy ${label} ${invocation.action} raised SymException without a message`;
        throw new StrategyError(message, false, { sandbox_code: 'hook_exception' }, notApplied);
      }
      throw toStrategyError(error, `custom strategy ${label} ${invocation.action}`, scrubber);
    }
  };
  return { escalate: run, deescalate: run };
}

function toStrategyError(error: unknown, what: string, scrubber: SecretScrubber): StrategyError {
  if (error instanceof StrategyError) return error;
  if (error instanceof SandboxError) {
    const location = error.location ? { file: error.location.file, line: error.location.line, ...(error.location.column !== undefined && { column: error.location.column }) } : null;
    return new StrategyError(scrubber.scrub(`${what} failed (${error.code}): ${error.message}`), !PERMANENT.has(error.code), {
      sandbox_code: error.code,
      location,
      guest_stack: scrubber.scrub(error.guestStack),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new StrategyError(scrubber.scrub(`${what} failed: ${message}`), true);
}
