/**
 * Makes sure a code-managed strategy function exists and runs the current code: CreateFunction
 * when GetFunction says it is missing, UpdateFunctionCode when its CodeSha256 differs from the
 * package's, UpdateFunctionConfiguration when role, runtime, handler or timeout differ, waiting
 * after each step until the function is Active and its last update Successful.
 */
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  type GetFunctionCommandOutput,
  type LambdaClient,
  type Runtime,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitForFunctionActiveV2,
  waitForFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { StrategyError } from './access-strategy';
import type { LambdaPackage } from './lambda-package';

/** Everything CreateFunction needs besides the package. */
export interface FunctionSpec {
  name: string;
  role: string;
  runtime: string;
  timeoutSeconds: number;
  description: string;
  tags: Record<string, string>;
}

/** How long and how often to poll while the function settles (seconds, as the SDK waiters take them). */
export interface WaitOptions {
  minDelay: number;
  maxDelay: number;
  maxWaitTime: number;
}

/** What the deployer did, for logs and tests. */
export type DeployAction = 'created' | 'updated' | 'unchanged';

type Configuration = NonNullable<GetFunctionCommandOutput['Configuration']>;

/** Whether the function's settings differ from what the strategy asks for. */
function configurationDiffers(config: Partial<Configuration>, spec: FunctionSpec, handler: string): boolean {
  return config.Role !== spec.role || config.Runtime !== spec.runtime || config.Handler !== handler || config.Timeout !== spec.timeoutSeconds;
}

type Client = Pick<LambdaClient, 'send'>;

async function getFunction(client: Client, name: string): Promise<GetFunctionCommandOutput | undefined> {
  try {
    return await client.send(new GetFunctionCommand({ FunctionName: name }));
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function waitFor(kind: 'active' | 'updated', client: Client, name: string, wait: WaitOptions): Promise<void> {
  const waiter = kind === 'active' ? waitForFunctionActiveV2 : waitForFunctionUpdatedV2;
  // The waiters only call `send`; the cast spares them the full client type.
  const result = await waiter({ client: client as LambdaClient, ...wait }, { FunctionName: name });
  if (result.state === 'SUCCESS') return;
  const config = (result.reason as GetFunctionCommandOutput | undefined)?.Configuration;
  if (result.state === 'FAILURE') {
    const reason = kind === 'active' ? config?.StateReason : config?.LastUpdateStatusReason;
    const code = kind === 'active' ? config?.StateReasonCode : config?.LastUpdateStatusReasonCode;
    throw new StrategyError(`Lambda function ${name} did not become ${kind === 'active' ? 'Active' : 'updated'}: ${code ?? 'Failed'}: ${reason ?? 'no reason given'}`, false, {
      state_reason_code: code ?? null,
    });
  }
  throw new StrategyError(`Lambda function ${name} was not ${kind === 'active' ? 'Active' : 'updated'} within ${wait.maxWaitTime} s`, true);
}

/** Creates or updates the function as needed and returns what it did once the function is ready. */
export async function deployFunction(client: Client, spec: FunctionSpec, pkg: LambdaPackage, wait: WaitOptions): Promise<DeployAction> {
  let current = await getFunction(client, spec.name);
  if (!current) {
    try {
      await client.send(
        new CreateFunctionCommand({
          FunctionName: spec.name,
          Runtime: spec.runtime as Runtime,
          Role: spec.role,
          Handler: pkg.handler,
          Code: { ZipFile: pkg.zip },
          PackageType: 'Zip',
          Timeout: spec.timeoutSeconds,
          Description: spec.description,
          Tags: spec.tags,
        }),
      );
      await waitFor('active', client, spec.name, wait);
      return 'created';
    } catch (error) {
      // Another worker created it first: carry on as if it had existed.
      if ((error as { name?: string }).name !== 'ResourceConflictException') throw error;
      current = await getFunction(client, spec.name);
      if (!current) throw error;
    }
  }
  const config: Partial<Configuration> = current.Configuration ?? {};
  // An update still running from elsewhere would make the next update fail with a conflict.
  if (config.State === 'Pending') await waitFor('active', client, spec.name, wait);
  if (config.LastUpdateStatus === 'InProgress') await waitFor('updated', client, spec.name, wait);
  let action: DeployAction = 'unchanged';
  if (config.CodeSha256 !== pkg.codeSha256) {
    await client.send(new UpdateFunctionCodeCommand({ FunctionName: spec.name, ZipFile: pkg.zip }));
    await waitFor('updated', client, spec.name, wait);
    action = 'updated';
  }
  if (configurationDiffers(config, spec, pkg.handler)) {
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: spec.name, Role: spec.role, Runtime: spec.runtime as Runtime, Handler: pkg.handler, Timeout: spec.timeoutSeconds }));
    await waitFor('updated', client, spec.name, wait);
    action = 'updated';
  }
  return action;
}
