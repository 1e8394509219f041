/**
 * How the lifecycle calls a flow's hooks: `on_*` gates (whose failure stops the step and whose
 * result may redirect it) and `after_*` hooks (whose failure is recorded and changes nothing).
 */
import type { JsonValue } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import type { SymEvent } from '../../sandbox';
import { flowParamsOf } from './flow-params';
import type { LifecycleContext } from './lifecycle-context';
import { errorText, newEvent } from './lifecycle-events';
import { hookFailureText } from './hook-failure';
import type { RequestRecord } from './request-store';
import { mentions } from './source-mentions';
import { storableText } from './storable';

/** Where an `on_*` hook sends the step: approve, deny or ignore (with a message), or on as planned (null). */
export type Redirect = { to: 'approve' } | { to: 'deny' | 'ignore'; message: string | null } | null;

/** Reads `events.approval.approve()`, `.deny({message})` or `.ignore({message})` from a hook's result. */
export function redirectOf(value: JsonValue | undefined): Redirect {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  // The message becomes the request's `reason` (a text column): stored as it can be.
  const message = typeof value.message === 'string' ? storableText(value.message) : null;
  if (value.type === 'approval.approve') return { to: 'approve' };
  if (value.type === 'approval.deny') return { to: 'deny', message };
  if (value.type === 'approval.ignore') return { to: 'ignore', message };
  return null;
}

/** Runs a hook whose failure must stop the step (on_*); SandboxErrors become 422 `hook_failed` for API callers. */
export async function runGate(ctx: Pick<LifecycleContext, 'hooks'>, request: RequestRecord, name: string, ev: SymEvent): Promise<Redirect> {
  try {
    const out = await ctx.hooks.run(flowParamsOf(request).source, name, ev, request.orgId);
    return out.exported ? redirectOf(out.value) : null;
  } catch (err) {
    throw new ApiError('hook_failed', hookFailureText(`${name} hook`, err));
  }
}

/**
 * Runs an after_* hook: failures are recorded on the request, never undo the step. The event is
 * built only when the source mentions the hook (building it costs a few queries).
 */
export async function runAfter(ctx: Pick<LifecycleContext, 'hooks' | 'store'>, request: RequestRecord, name: string, makeEvent: () => Promise<SymEvent>): Promise<void> {
  const { source } = flowParamsOf(request);
  if (!mentions(source, name)) return;
  try {
    await ctx.hooks.run(source, name, await makeEvent(), request.orgId);
  } catch (err) {
    // The step is committed: failing to record its after-hook's failure must not turn it into an
    // error for the caller (who would retry a change that happened). Best effort, then dropped.
    await ctx.store.record(request.orgId, request.id, [newEvent('request.hook_failed', request, null, null, { hook: name, error: errorText(err) })]).catch(() => {});
  }
}
