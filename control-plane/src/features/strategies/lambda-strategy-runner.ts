/**
 * `aws_lambda` strategies: invoke a function (RequestResponse) on escalate and deescalate with the
 * event described in lambda-payload.ts. With `settings.arn` the function exists already; with
 * `settings.code` (the `lambda_strategy { code = file(...) }` block) it is deployed first.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Logger } from 'pino';
import { type AccessStrategyRunner, type StrategyInvocation, type StrategyOutcome, StrategyError } from './access-strategy';
import type { EntityRecord } from '../../shared/entity-record';
import { awsClientConfig, type AwsCredentials, type Env } from './aws-client-config';
import { strategyErrorFromAws } from './aws-error';
import { type AwsCredentialResolver, roleSessionName } from './aws-role-credentials';
import { type EntityReader, settingsOf } from './integration-loader';
import { deployFunction, type FunctionSpec, type WaitOptions } from './lambda-deployer';
import { packageLambdaCode } from './lambda-package';
import { buildLambdaEvent, readLambdaResponse } from './lambda-payload';
import { processScrubber } from './secret-scrubber';

/** What the Lambda runner needs. */
export interface LambdaStrategyDeps {
  entities: EntityReader;
  logger: Logger;
  env: Env;
  wait: WaitOptions;
  /** The environment's runtime role; without it, the control plane's own credentials. */
  credentials?: AwsCredentialResolver;
}

/** Shared state of all Lambda runners: clients per region and code already verified in this process. */
export interface LambdaRunnerState {
  clients: Map<string, Pick<LambdaClient, 'send'>>;
  /** `functionName` → code hash and settings this process deployed or found in place. */
  deployed: Map<string, string>;
}

/** Fresh shared state for one registry. */
export function lambdaRunnerState(): LambdaRunnerState {
  return { clients: new Map(), deployed: new Map() };
}

const ARN_REGION = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):/;
const DEFAULT_RUNTIME = 'nodejs20.x';
const DEFAULT_TIMEOUT_SECONDS = 30;

/** Function name for code-managed strategies: stable per strategy, within Lambda's 64 characters. */
export function managedFunctionName(strategy: EntityRecord): string {
  const slug = (strategy.name ?? 'strategy').replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40);
  return `opensym-${slug}-${strategy.id.replace(/-/g, '').slice(0, 12)}`;
}

/** The runner for one `aws_lambda` strategy entity. */
export function createLambdaStrategyRunner(deps: LambdaStrategyDeps, state: LambdaRunnerState, strategy: EntityRecord): AccessStrategyRunner {
  const label = strategy.name ?? strategy.id;
  const scrubber = processScrubber(deps.env);
  const clientFor = (region: string, credentials: AwsCredentials | undefined) => {
    // Assumed credentials change per request session: one client per region and key, the oldest dropped.
    const key = credentials ? `${region}|${credentials.accessKeyId}` : region;
    let client = state.clients.get(key);
    if (!client) {
      if (state.clients.size >= 100) state.clients.delete(state.clients.keys().next().value!);
      client = new LambdaClient(awsClientConfig(deps.env, 'LAMBDA', region, credentials));
      state.clients.set(key, client);
    }
    return client;
  };

  const run = async (invocation: StrategyInvocation): Promise<StrategyOutcome> => {
    const settings = settingsOf(strategy);
    const what = `Lambda strategy ${label} ${invocation.action}`;
    const integration = await permissionContextOf(deps.entities, invocation.orgId, strategy, what);
    const shared = settingsOf(integration);
    const pick = (key: string) => settings[key] || shared[key] || undefined;

    let functionName: string;
    let region: string;
    const arn = settings.arn;
    const code = settings.code;
    if (arn) {
      functionName = arn;
      region = ARN_REGION.exec(arn)?.[1] ?? pick('region') ?? deps.env.AWS_REGION ?? deps.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    } else if (code) {
      functionName = pick('function_name') ?? managedFunctionName(strategy);
      region = pick('region') ?? deps.env.AWS_REGION ?? deps.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    } else {
      throw new StrategyError(`Lambda strategy ${label} has neither settings.arn nor settings.code`, false);
    }
    const environmentId = invocation.event.flow?.environment_id;
    // As Sym does: the strategy's permission context is assumed to deploy and invoke (chained on the
    // environment's runtime role); without one, the runtime role; without that, our own credentials.
    const principal = deps.credentials
      ? await deps.credentials.forIntegration(
          { orgId: invocation.orgId, environmentId: typeof environmentId === 'string' ? environmentId : null, sessionName: roleSessionName(invocation.requestId) },
          integration,
        )
      : undefined;
    const client = clientFor(region, principal?.credentials);
    const log = deps.logger.child({ orgId: invocation.orgId, requestId: invocation.requestId, strategyId: strategy.id, functionName });

    if (code) {
      const pkg = packageLambdaCode(code);
      // The integration's role_arn is the role that invokes (its permission context), never the function's execution role.
      const role = settings.role_arn || deps.env.SYM_LAMBDA_ROLE_ARN;
      if (!role) {
        throw new StrategyError(`Lambda strategy ${label}: deploying code needs an execution role (the strategy's settings.role_arn, or SYM_LAMBDA_ROLE_ARN)`, false);
      }
      const timeout = Number(pick('timeout') ?? DEFAULT_TIMEOUT_SECONDS);
      const spec: FunctionSpec = {
        name: functionName,
        role,
        runtime: pick('runtime') ?? deps.env.SYM_LAMBDA_RUNTIME ?? DEFAULT_RUNTIME,
        timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? Math.min(Math.round(timeout), 900) : DEFAULT_TIMEOUT_SECONDS,
        description: `OpenSym access strategy ${label}`.slice(0, 256),
        tags: { 'opensym:strategy-id': strategy.id },
      };
      // Code and settings together: a changed role or runtime is applied even when the code is the same.
      const deployedKey = JSON.stringify([pkg.codeSha256, spec.role, spec.runtime, spec.timeoutSeconds]);
      if (state.deployed.get(functionName) !== deployedKey) {
        try {
          const action = await deployFunction(client, spec, pkg, deps.wait);
          state.deployed.set(functionName, deployedKey);
          log.info({ action, codeSha256: pkg.codeSha256 }, 'Lambda strategy function ready');
        } catch (error) {
          throw strategyErrorFromAws(error, `${what}: deploying ${functionName}`, scrubber);
        }
      }
    }

    let output;
    try {
      output = await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(buildLambdaEvent(invocation))) }));
    } catch (error) {
      const failure = strategyErrorFromAws(error, `${what}: invoking ${functionName}`, scrubber);
      // A managed function deleted behind our back is redeployed on the next attempt.
      if (code && (error as { name?: string }).name === 'ResourceNotFoundException') {
        state.deployed.delete(functionName);
        throw new StrategyError(failure.message, true, failure.details);
      }
      throw failure;
    }
    const payload = output.Payload ? Buffer.from(output.Payload).toString('utf8') : '';
    const outcome = readLambdaResponse(payload, output.FunctionError, what, scrubber);
    log.debug({ statusCode: output.StatusCode }, 'Lambda strategy invoked');
    return outcome;
  };
  return { escalate: run, deescalate: run };
}

/**
 * The strategy's `integration_id`: a `permission_context` (Sym's `aws_lambda` strategies act through
 * one), null without one. A missing integration or another type is a final error, not a silent fallback.
 */
async function permissionContextOf(entities: EntityReader, orgId: string, strategy: EntityRecord, what: string): Promise<EntityRecord | null> {
  const integrationId = strategy.data.integration_id;
  if (typeof integrationId !== 'string' || !integrationId) return null;
  const integration = await entities.findById(orgId, 'integrations', integrationId);
  if (!integration) throw new StrategyError(`${what}: integration ${integrationId} does not exist`, false);
  if (integration.type !== 'permission_context') {
    throw new StrategyError(`${what}: aws_lambda strategies act through a permission_context integration, not ${String(integration.type)} (${integration.name ?? integration.id})`, false);
  }
  return integration;
}
