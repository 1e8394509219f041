/**
 * The Slack feature's durable jobs. Interactions are acknowledged at once and their work runs here,
 * committed to the job queue before the ack, so a crash after the ack loses nothing:
 *
 * | kind | does |
 * |---|---|
 * | `slack_sync` | posts a new request's messages, or updates them after a step (`slack-delivery.ts`) |
 * | `slack_decide` | an Approve / Deny / Revoke click: the lifecycle's own approve, deny or revoke as the clicking user; a refusal becomes an ephemeral message and changes nothing |
 * | `slack_request` | a submitted request modal: `POST /events/request`'s own service call as the user (source `slack`) |
 * | `slack_error_log` | a failure reported to a `sym_error_logger` whose integration is Slack |
 */
import { ApiError } from '../../errors/api-error';
import type { ClaimedJob, JobHandlers, NewJob } from '../../jobs/job-queue';
import { keyedSerial } from './keyed-serial';
import { isTransient, syncRequest } from './slack-delivery';
import { actorOf, type SlackDeps } from './slack-deps';
import { SlackIdentityError } from './slack-identity';
import { FlowsFilterError } from './flows-filter';
import { usableFlowsOf } from './usable-flows';

/** Job kinds of the Slack feature. */
export const SLACK_JOBS = { sync: 'slack_sync', decide: 'slack_decide', request: 'slack_request', errorLog: 'slack_error_log' } as const;

/** Payload of `slack_decide`. */
export interface DecidePayload {
  integrationId: string;
  user: string;
  action: 'approve' | 'deny' | 'revoke';
  requestId: string;
  /** Where the click came from (the ephemeral answer goes there). */
  channel: string | null;
  reason?: string;
}

/** Payload of `slack_request`. */
export interface RequestPayload {
  integrationId: string;
  user: string;
  flowId: string;
  inputs: Record<string, unknown>;
}

/** The sync job for a request (`post` on creation). */
export const syncJob = (orgId: string, requestId: string, post: boolean, runAt?: Date): NewJob => ({
  kind: SLACK_JOBS.sync,
  orgId,
  requestId,
  payload: { post },
  ...(runAt && { runAt }),
  // One posting job per request. Updates render the current state, so a step whose request already
  // has a sync waiting (not yet claimed; a post re-renders too) joins it: a burst of steps (approved,
  // then active a moment later) renders once when the runner is busy.
  ...(post ? { dedupeKey: `slack_sync:${requestId}:post` } : { coalesce: true }),
});

/** Tells a Slack user why nothing happened: ephemeral where they clicked, else a DM. */
async function tell(deps: SlackDeps, orgId: string, integrationId: string, user: string, channel: string | null, text: string): Promise<void> {
  const workspace = await deps.workspaces.byId(orgId, integrationId);
  if (!workspace) return;
  const client = await workspace.client();
  if (channel) {
    try {
      await client.postEphemeral(channel, user, text);
      return;
    } catch (err) {
      if (isTransient(err)) throw err;
    }
  }
  await client.postMessage(await client.openDm(user), text);
}

/** A refusal the user should read (not a bug, not worth a retry). */
const refusal = (err: unknown): string | null => {
  if (err instanceof SlackIdentityError || err instanceof FlowsFilterError) return err.message;
  if (err instanceof ApiError && err.status < 500)
    return err.errors.length > 0 ? `${err.detail} ${err.errors.map((f: { pointer: string; detail: string }) => `${f.pointer.replace('/flow_inputs/', '')}: ${f.detail}`).join('; ')}` : err.detail;
  return null;
};

async function decide(deps: SlackDeps, job: ClaimedJob): Promise<void> {
  const p = job.payload as unknown as DecidePayload;
  const orgId = job.orgId!;
  const workspace = await deps.workspaces.byId(orgId, p.integrationId);
  if (!workspace) return;
  try {
    const user = await deps.identities(workspace, p.user);
    const input = p.reason ? { reason: p.reason } : {};
    if (p.action === 'approve') await deps.requests.approve(actorOf(user), p.requestId, input);
    else if (p.action === 'deny') await deps.requests.deny(actorOf(user), p.requestId, input);
    else await deps.requests.revoke(actorOf(user), p.requestId, input);
  } catch (err) {
    const why = refusal(err);
    if (why === null) throw err;
    await tell(deps, orgId, p.integrationId, p.user, p.channel, `:no_entry_sign: Nothing changed: ${why}`);
  }
}

async function request(deps: SlackDeps, job: ClaimedJob): Promise<void> {
  const p = job.payload as unknown as RequestPayload;
  const orgId = job.orgId!;
  const workspace = await deps.workspaces.byId(orgId, p.integrationId);
  if (!workspace) return;
  try {
    const user = await deps.identities(workspace, p.user);
    // Judged again as the job runs: the flow, the user's role or the filter may have changed since the submission.
    if (!(await usableFlowsOf(deps, orgId, user)).some((f) => f.id === p.flowId)) throw new FlowsFilterError('You may not request this flow from Slack.');
    await deps.requests.request(actorOf(user), { flow_id: p.flowId, flow_inputs: p.inputs as never });
  } catch (err) {
    const why = refusal(err);
    if (why === null) throw err;
    await tell(deps, orgId, p.integrationId, p.user, null, `:no_entry_sign: Your request was not made: ${why}`);
  }
}

async function errorLog(deps: SlackDeps, job: ClaimedJob): Promise<void> {
  const p = job.payload as { integrationId: string; destination: string; text: string };
  const workspace = await deps.workspaces.byId(job.orgId!, p.integrationId);
  if (!workspace) return;
  const client = await workspace.client();
  try {
    await client.postMessage(p.destination, p.text);
  } catch (err) {
    if (isTransient(err)) throw err;
    deps.logger.warn({ error: (err as Error).message }, 'slack: error logger destination refused the message');
  }
}

/** The handlers to register with the job runner. */
export function slackJobHandlers(deps: SlackDeps): JobHandlers {
  // One sync per request at a time in this process: each renders the state it loaded, so two at once
  // could land their updates out of order (the older render last).
  const serial = keyedSerial();
  return {
    [SLACK_JOBS.sync]: { run: (job) => serial(job.requestId!, () => syncRequest(deps, job.orgId!, job.requestId!, job.payload.post === true)) },
    [SLACK_JOBS.decide]: { run: (job) => decide(deps, job) },
    [SLACK_JOBS.request]: { run: (job) => request(deps, job) },
    [SLACK_JOBS.errorLog]: { run: (job) => errorLog(deps, job) },
  };
}
