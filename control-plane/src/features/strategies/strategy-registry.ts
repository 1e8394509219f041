/**
 * The strategies registry: finds the runner for a strategy entity's `type` and reports every
 * failure to the error reporter before rethrowing it as a StrategyError.
 */
import type { Logger } from 'pino';
import type { HookResult, RunHookOptions } from '../../sandbox';
import { type AccessStrategyRunner, type StrategyInvocation, type StrategyOutcome, type StrategyRegistry, StrategyError } from './access-strategy';
import type { EntityRecord } from '../../shared/entity-record';
import type { Env } from './aws-client-config';
import { createAwsIamStrategyRunner } from './aws-iam-strategy-runner';
import { type AwsCredentialResolver, createAwsCredentialResolver } from './aws-role-credentials';
import { createAwsSsoStrategyRunner, type SsoWaitOptions } from './aws-sso-strategy-runner';
import { createCustomStrategyRunner } from './custom-strategy-runner';
import { createLoggingErrorReporter, type ErrorReporter } from './error-reporter';
import type { IdentityCacheStore } from './identity-cache-store';
import type { EntityReader } from './integration-loader';
import type { WaitOptions } from './lambda-deployer';
import { createLambdaStrategyRunner, lambdaRunnerState } from './lambda-strategy-runner';
import { createNativeStrategyRunner, type NativeStrategyDeps, type NativeVendor } from './native-strategy';
import { githubVendor } from './github/github-strategy';
import { googleVendor } from './google/google-strategy';
import { oktaVendor } from './okta/okta-strategy';
import { aptibleVendor } from './aptible/aptible-strategy';
import { oneloginVendor } from './onelogin/onelogin-strategy';
import { tailscaleVendor } from './tailscale/tailscale-strategy';
import { createSecretReader, type SecretReader } from './secret-reader';
import { processScrubber } from './secret-scrubber';

/** What the registry is built from; everything but the first three and `sandbox` has a production default. */
export interface StrategyRegistryDeps {
  entities: EntityReader;
  identityCache: IdentityCacheStore;
  logger: Logger;
  /** Defaults to logging each failure. */
  errorReporter?: ErrorReporter;
  /** Runs `custom` strategies: the sandbox `compose.ts` builds (tests pass their own). */
  sandbox: { run(options: RunHookOptions): Promise<HookResult> };
  /** AWS and secret settings come from here; defaults to `process.env`. */
  env?: Env;
  /** Defaults to a reader over `env` and Secrets Manager. */
  secrets?: SecretReader;
  /** Polling while a deployed Lambda function settles; defaults to 1-10 s steps for at most 5 minutes. */
  lambdaWait?: Partial<WaitOptions>;
  /** Polling an IAM Identity Center account assignment; defaults to 1 s steps for at most 60 s. */
  ssoWait?: Partial<SsoWaitOptions>;
  /** Whose AWS credentials (environment runtime roles, permission contexts); defaults to STS over `env`. */
  awsCredentials?: AwsCredentialResolver;
}

const DEFAULT_WAIT: WaitOptions = { minDelay: 1, maxDelay: 10, maxWaitTime: 300 };

/** Builds the registry over `custom`, `aws_lambda`, `aws_sso`, `aws_iam` and the native vendor strategies (`okta`, ...). */
export function createStrategyRegistry(deps: StrategyRegistryDeps): StrategyRegistry {
  const env = deps.env ?? process.env;
  const reporter = deps.errorReporter ?? createLoggingErrorReporter(deps.logger);
  const secrets = deps.secrets ?? createSecretReader({ env });
  const sandbox = deps.sandbox;
  const lambdaState = lambdaRunnerState();
  const wait = { ...DEFAULT_WAIT, ...deps.lambdaWait };
  const credentials = deps.awsCredentials ?? createAwsCredentialResolver({ entities: deps.entities, env });
  const awsDeps = { entities: deps.entities, identityCache: deps.identityCache, credentials, env, logger: deps.logger };
  const ssoStoreIds = new Map<string, string>();

  const native: NativeStrategyDeps = { entities: deps.entities, identityCache: deps.identityCache, secrets, logger: deps.logger, env, credentials };
  // Strategies the control plane runs itself through the vendor's API (see native-strategy.ts).
  // `google_group` is Sym's name for the same strategy.
  const vendors: Record<string, NativeVendor> = {
    okta: oktaVendor,
    github: githubVendor,
    google: googleVendor,
    google_group: googleVendor,
    onelogin: oneloginVendor,
    tailscale: tailscaleVendor,
    aptible: aptibleVendor,
  };
  const factories: Record<string, (strategy: EntityRecord) => AccessStrategyRunner> = {
    ...Object.fromEntries(Object.entries(vendors).map(([type, vendor]) => [type, (strategy: EntityRecord) => createNativeStrategyRunner(native, vendor, strategy)])),
    custom: (strategy) => createCustomStrategyRunner({ entities: deps.entities, identityCache: deps.identityCache, secrets, sandbox, logger: deps.logger, env, credentials }, strategy),
    aws_lambda: (strategy) => createLambdaStrategyRunner({ entities: deps.entities, logger: deps.logger, env, wait, credentials }, lambdaState, strategy),
    aws_sso: (strategy) => createAwsSsoStrategyRunner({ ...awsDeps, wait: deps.ssoWait }, strategy, ssoStoreIds),
    aws_iam: (strategy) => createAwsIamStrategyRunner(awsDeps, strategy),
  };

  const reported = (strategy: EntityRecord, step: (invocation: StrategyInvocation) => Promise<StrategyOutcome>) => async (invocation: StrategyInvocation) => {
    try {
      return await step(invocation);
    } catch (caught) {
      const error =
        caught instanceof StrategyError
          ? caught
          : new StrategyError(processScrubber(env).scrub(`strategy ${strategy.name ?? strategy.id} ${invocation.action} failed: ${caught instanceof Error ? caught.message : String(caught)}`));
      const environmentId = invocation.event.flow?.environment_id;
      try {
        await reporter.report({
          orgId: invocation.orgId,
          environmentId: typeof environmentId === 'string' ? environmentId : null,
          requestId: invocation.requestId,
          error,
          context: { strategyId: strategy.id, strategyType: String(strategy.type), action: invocation.action },
        });
      } catch (reportError) {
        deps.logger.error({ err: { message: reportError instanceof Error ? reportError.message : String(reportError) } }, 'error reporter failed');
      }
      throw error;
    }
  };

  return {
    runnerFor(strategy) {
      const factory = strategy.type !== null && Object.hasOwn(factories, strategy.type) ? factories[strategy.type] : undefined;
      if (!factory) {
        throw new StrategyError(
          `strategy ${strategy.name ?? strategy.id} has type ${JSON.stringify(strategy.type)}, which this control plane cannot run (supported: ${Object.keys(factories).join(', ')})`,
          false,
        );
      }
      const runner = factory(strategy);
      return { escalate: reported(strategy, runner.escalate), deescalate: reported(strategy, runner.deescalate) };
    },
  };
}
