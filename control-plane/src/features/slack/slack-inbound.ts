/**
 * What each verified Slack call does. Answers come at once (Slack waits 3 s); what changes state
 * is enqueued as a job before the answer (`slack-jobs.ts`), and opening a modal (`views.open`,
 * whose trigger id lives 3 s and which changes nothing durable) runs right after the answer.
 *
 * - `/sym`, `/sym req [flow]`, `/sym request [flow]`: the request modal (a picker first when
 *   several flows may be used from Slack); `/sym whoami`; `/sym requests` (the caller's latest);
 *   anything else: help.
 * - `block_actions`: `sym_approve` and `sym_revoke` → job `slack_decide`; `sym_deny` → the deny
 *   message modal.
 * - `view_submission`: the request modal is checked with the API's rules (errors go back as
 *   `response_action: errors`), then → job `slack_request`; the deny modal → job `slack_decide`.
 * - Events API: `url_verification` answers its challenge; `app_home_opened` publishes the App Home
 *   (the user's latest requests, Revoke on active ones); other events are acknowledged.
 */
import type { SlackWorkspace } from '../../integrations/slack/slack-workspaces';
import type { NewJob } from '../../jobs/job-queue';
import { actorOf, type SlackDeps } from './slack-deps';
import { SlackIdentityError } from './slack-identity';
import { SLACK_JOBS, type DecidePayload, type RequestPayload } from './slack-jobs';
import { ACTIONS, formatDuration, homeView, statusLine } from './slack-messages';
import { CALLBACKS, denyReasonModal, flowPickerModal, inputsOf, modalErrors, noticeModal, requestModal, singleValue } from './request-modal';
import { FlowsFilterError } from './flows-filter';
import { usableFlowsOf } from './usable-flows';
import type { UserRecord } from '../users/user-store';

/** The answer to Slack, and work to run once it is sent. */
export interface InboundOutcome {
  answer: Record<string, unknown>;
  after?: () => Promise<void>;
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const ephemeral = (text: string) => ({ response_type: 'ephemeral', text });

const HELP = ['*OpenSym in Slack*', '`/sym` or `/sym req [flow]`: request access', '`/sym requests`: your latest requests', '`/sym whoami`: who OpenSym thinks you are', '`/sym help`: this'].join(
  '\n',
);

/** The Slack inbound handler over the feature's dependencies. `key` makes jobs of one signed call unique (replays enqueue nothing new). */
export function createSlackInbound(deps: SlackDeps) {
  const enqueue = (job: NewJob) => deps.enqueue(job);

  const usableFlows = (orgId: string, user: UserRecord) => usableFlowsOf(deps, orgId, user);

  const openRequest = async (workspace: SlackWorkspace, userId: string, triggerId: string, flowRef: string, channel: string): Promise<InboundOutcome> => {
    const client = await workspace.client();
    const user = await deps.identities(workspace, userId);
    const flows = await usableFlows(workspace.orgId, user);
    const meta = { channel };
    if (flowRef) {
      const form = await deps.requests.form(workspace.orgId, flowRef);
      if (!form || !flows.some((f) => f.id === form.flow.id)) return { answer: ephemeral(`No flow "${flowRef}" that you may request from Slack.`) };
      return { answer: {}, after: () => client.openView(triggerId, requestModal(form, meta)) };
    }
    if (flows.length === 0) return { answer: ephemeral('There is no flow you may request from Slack.') };
    if (flows.length === 1) {
      const form = (await deps.requests.form(workspace.orgId, flows[0]!.id))!;
      return { answer: {}, after: () => client.openView(triggerId, requestModal(form, meta)) };
    }
    return { answer: {}, after: () => client.openView(triggerId, flowPickerModal(flows, meta)) };
  };

  const command = async (workspace: SlackWorkspace, body: Obj): Promise<InboundOutcome> => {
    const [verb = '', ...rest] = str(body.text).trim().split(/\s+/).filter(Boolean);
    const userId = str(body.user_id);
    try {
      switch (verb.toLowerCase()) {
        case '':
        case 'req':
        case 'request':
          return await openRequest(workspace, userId, str(body.trigger_id), rest.join(' '), str(body.channel_id));
        case 'whoami': {
          const user = await deps.identities(workspace, userId);
          return { answer: ephemeral(`You are ${user.email} (${user.role}) in OpenSym.`) };
        }
        case 'requests': {
          const user = await deps.identities(workspace, userId);
          const page = await deps.requests.list(actorOf(user), { requester: user.id, limit: 10 });
          if (page.data.length === 0) return { answer: ephemeral('You have made no requests.') };
          const lines = page.data.map(
            (r) => `• *${r.flow.name}* ${r.duration_seconds ? `(${formatDuration(r.duration_seconds)}) ` : ''}— ${statusLine(r, { flowLabel: r.flow.name, deciderEmail: null, allowRevoke: false })}`,
          );
          return { answer: ephemeral(['Your latest requests:', ...lines].join('\n')) };
        }
        default:
          return { answer: ephemeral(HELP) };
      }
    } catch (err) {
      if (err instanceof SlackIdentityError || err instanceof FlowsFilterError) return { answer: ephemeral(err.message) };
      throw err;
    }
  };

  /** Whether the Slack user of a submission may request `flowId` (see `usableFlows`); the reason when not. */
  const refusedFlow = async (workspace: SlackWorkspace, slackUser: string, flowId: string): Promise<string | null> => {
    try {
      const user = await deps.identities(workspace, slackUser);
      return (await usableFlows(workspace.orgId, user)).some((f) => f.id === flowId) ? null : 'You may not request this flow from Slack.';
    } catch (err) {
      if (err instanceof SlackIdentityError || err instanceof FlowsFilterError) return err.message;
      throw err;
    }
  };

  const parseMeta = (view: Obj): Record<string, string> => {
    try {
      const meta = JSON.parse(str(view.private_metadata) || '{}') as unknown;
      return typeof meta === 'object' && meta !== null ? (meta as Record<string, string>) : {};
    } catch {
      return {};
    }
  };

  const interaction = async (workspace: SlackWorkspace, payload: Obj, key: string): Promise<InboundOutcome> => {
    const user = str((payload.user as Obj | undefined)?.id);
    if (payload.type === 'block_actions') {
      const action = ((payload.actions as Obj[] | undefined) ?? [])[0] ?? {};
      const requestId = str(action.value);
      const channel = str((payload.channel as Obj | undefined)?.id) || str((payload.container as Obj | undefined)?.channel_id) || null;
      const decideJob = (a: DecidePayload['action'], reason?: string): NewJob => ({
        kind: SLACK_JOBS.decide,
        orgId: workspace.orgId,
        requestId,
        dedupeKey: `slack:${key}`,
        payload: { integrationId: workspace.integration.id, user, action: a, requestId, channel, ...(reason && { reason }) } satisfies DecidePayload,
      });
      if (action.action_id === ACTIONS.approve) await enqueue(decideJob('approve'));
      else if (action.action_id === ACTIONS.revoke) await enqueue(decideJob('revoke'));
      else if (action.action_id === ACTIONS.deny) {
        const client = await workspace.client();
        return { answer: {}, after: () => client.openView(str(payload.trigger_id), denyReasonModal(requestId, { channel: channel ?? '' })) };
      }
      return { answer: {} };
    }
    if (payload.type === 'view_submission') {
      const view = (payload.view ?? {}) as Obj;
      const values = ((view.state as Obj | undefined)?.values ?? {}) as Record<string, Record<string, never>>;
      const meta = parseMeta(view);
      if (view.callback_id === CALLBACKS.pickFlow) {
        const flowId = singleValue(values, 'flow');
        const form = flowId ? await deps.requests.form(workspace.orgId, flowId) : null;
        if (!form) return { answer: { response_action: 'errors', errors: { flow: 'Choose a flow.' } } };
        const refused = await refusedFlow(workspace, user, form.flow.id);
        if (refused) return { answer: { response_action: 'errors', errors: { flow: refused } } };
        return { answer: { response_action: 'update', view: requestModal(form, meta) } };
      }
      if (view.callback_id === CALLBACKS.request) {
        const form = meta.flow ? await deps.requests.form(workspace.orgId, meta.flow) : null;
        if (!form) return { answer: { response_action: 'errors', errors: {} } };
        // `private_metadata` comes back from the client: a crafted one may name any flow.
        const refused = await refusedFlow(workspace, user, form.flow.id);
        if (refused) return { answer: { response_action: 'update', view: noticeModal(refused) } };
        const inputs = inputsOf(form, values);
        const errors = await deps.requests.checkInputs(workspace.orgId, form.flow.id, inputs);
        if (errors.length > 0) return { answer: { response_action: 'errors', errors: modalErrors(form, errors) } };
        await enqueue({
          kind: SLACK_JOBS.request,
          orgId: workspace.orgId,
          dedupeKey: `slack:${key}`,
          payload: { integrationId: workspace.integration.id, user, flowId: form.flow.id, inputs } satisfies RequestPayload,
        });
        return { answer: { response_action: 'clear' } };
      }
      if (view.callback_id === CALLBACKS.denyReason && meta.request) {
        const reason = singleValue(values, 'reason') ?? undefined;
        await enqueue({
          kind: SLACK_JOBS.decide,
          orgId: workspace.orgId,
          requestId: meta.request,
          dedupeKey: `slack:${key}`,
          payload: { integrationId: workspace.integration.id, user, action: 'deny', requestId: meta.request, channel: meta.channel || null, ...(reason && { reason }) } satisfies DecidePayload,
        });
        return { answer: { response_action: 'clear' } };
      }
    }
    return { answer: {} };
  };

  /** App Home: the user's latest 20 requests; Revoke on active ones whose flow allows it. */
  const publishHome = async (workspace: SlackWorkspace, userId: string): Promise<void> => {
    const client = await workspace.client();
    const user = await deps.identities(workspace, userId);
    const page = await deps.requests.list(actorOf(user), { requester: user.id, limit: 20 });
    const revocable = new Set<string>();
    for (const r of page.data) {
      if (r.state !== 'active') continue;
      const flow = await deps.entities.findById(workspace.orgId, 'flows', r.flow.id);
      const params = (flow?.data.params ?? {}) as Obj;
      if (params.allow_revoke !== false) revocable.add(r.id);
    }
    await client.publishHome(
      userId,
      homeView(page.data, (r) => revocable.has(r.id)),
    );
  };

  const event = async (workspace: SlackWorkspace, body: Obj): Promise<InboundOutcome> => {
    if (body.type === 'url_verification') return { answer: { challenge: str(body.challenge) } };
    const inner = (body.event ?? {}) as Obj;
    if (body.type === 'event_callback' && inner.type === 'app_home_opened' && inner.tab !== 'messages') {
      return { answer: {}, after: () => publishHome(workspace, str(inner.user)) };
    }
    return { answer: {} };
  };

  return { command, interaction, event };
}

/** The inbound handler. */
export type SlackInbound = ReturnType<typeof createSlackInbound>;
