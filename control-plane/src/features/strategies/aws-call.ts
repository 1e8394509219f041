/**
 * One AWS API call of a native strategy, with its failure turned into a StrategyError that says
 * what to fix: a missing IAM permission names the action and the principal that lacks it, an
 * unknown resource names the setting that points at it. Throttling and 5xx stay retryable.
 */
import { StrategyError } from './access-strategy';
import { strategyErrorFromAws } from './aws-error';
import type { SecretScrubber } from './secret-scrubber';

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException']);
const NOT_FOUND = new Set(['ResourceNotFoundException', 'NoSuchEntity', 'NoSuchEntityException']);

/** What the call is, for the error message. */
export interface AwsCallContext {
  /** The IAM action, e.g. `sso:CreateAccountAssignment`. */
  action: string;
  /** Whose credentials: the assumed role's ARN, or "the control plane's AWS credentials". */
  principal: string;
  /** Prefix of every message, e.g. `aws_sso strategy prod-sso escalate`. */
  what: string;
  scrubber: SecretScrubber;
  /** Says which setting names a resource AWS does not know, when the call names one. */
  notFound?: string;
}

/** True when AWS answered that the named resource does not exist. */
export function isAwsNotFound(error: unknown): boolean {
  return NOT_FOUND.has((error as { name?: string } | null)?.name ?? '');
}

/** The StrategyError for a failed call (see the module comment). */
export function awsCallError(error: unknown, ctx: AwsCallContext): StrategyError {
  if (error instanceof StrategyError) return error;
  const name = (error as { name?: string } | null)?.name ?? '';
  const said = ctx.scrubber.scrub((error as { message?: string } | null)?.message ?? String(error));
  if (ACCESS_DENIED.has(name)) {
    return new StrategyError(`${ctx.what}: missing permission ${ctx.action}: AWS denied it to ${ctx.principal}; allow ${ctx.action} in that role's policy (AWS said: ${said})`, false, {
      aws_error: name,
      missing_permission: ctx.action,
    });
  }
  if (ctx.notFound && NOT_FOUND.has(name)) {
    return new StrategyError(`${ctx.what}: ${ctx.notFound} (${ctx.action}: ${name}: ${said})`, false, { aws_error: name });
  }
  return strategyErrorFromAws(error, `${ctx.what}: ${ctx.action}`, ctx.scrubber);
}

/** Runs `call`, mapping its failure with {@link awsCallError}. */
export async function awsCall<T>(ctx: AwsCallContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw awsCallError(error, ctx);
  }
}
