/**
 * Delivering and updating the messages about a request (job `slack_sync`): on creation, the
 * approval message goes where the stored notifications say (`get_request_notifications`, else the
 * approvers: channels, DMs to users, fallbacks) and the requester gets a DM; every later step
 * re-renders each stored message with `chat.update`. A message is stored as soon as it is posted
 * (one per request and destination), so a retried job never posts it again.
 */
import type { JsonValue } from '@opensym/schemas';
import { SlackApiError, type SlackClient } from '../../integrations/slack/slack-client';
import type { RequestView } from '../requests/request-service';
import type { SlackDeps } from './slack-deps';
import { systemActor } from './slack-deps';
import { approvalMessage, requesterMessage, type MessageContext } from './slack-messages';

type Obj = { [key: string]: JsonValue };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Slack errors worth retrying the job for (rate limits that outlasted the client's retries, outages). */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof SlackApiError)) return true;
  return err.code === 'ratelimited' || err.code === 'request_failed' || err.code.startsWith('http_5') || ['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'].includes(err.code);
}

const slackIdOf = (identities: unknown): string | null => {
  const s = isObj(identities) ? identities.slack : undefined;
  if (typeof s === 'string' && s) return s;
  if (isObj(s) && typeof s.user_id === 'string') return s.user_id;
  return null;
};

/** The Slack user id of a `slack.user` recipient (by Slack id, OpenSym user, or email), or null. */
async function slackUserOf(deps: SlackDeps, orgId: string, client: SlackClient, r: Obj): Promise<string | null> {
  if (typeof r.slack_id === 'string' && r.slack_id) return r.slack_id;
  let email = typeof r.email === 'string' ? r.email : null;
  if (typeof r.user_id === 'string') {
    const user = await deps.users.findById(orgId, r.user_id);
    const linked = slackIdOf(user?.identities);
    if (linked) return linked;
    email ??= user?.email ?? null;
  }
  return email ? ((await client.userByEmail(email))?.id ?? null) : null;
}

interface Delivery {
  deps: SlackDeps;
  orgId: string;
  integrationId: string;
  client: SlackClient;
  request: RequestView;
  ctx: MessageContext;
  posted: Set<string>;
}

/** Posts the approval message to one recipient; true when it is (or already was) there. */
async function deliver(d: Delivery, recipient: JsonValue): Promise<boolean> {
  if (!isObj(recipient)) return false;
  if (recipient.type === 'slack.fallback') {
    for (const r of Array.isArray(recipient.recipients) ? recipient.recipients : []) if (await deliver(d, r)) return true;
    return false;
  }
  let destination: string;
  let channel: string;
  try {
    if (recipient.type === 'slack.channel' && typeof recipient.name === 'string') {
      destination = `channel:${recipient.name}`;
      channel = recipient.name;
    } else if (recipient.type === 'slack.user') {
      const user = await slackUserOf(d.deps, d.orgId, d.client, recipient);
      if (!user) {
        d.deps.logger.warn({ requestId: d.request.id }, 'slack: an approver has no Slack account (by id or email); not notified');
        return false;
      }
      destination = `user:${user}`;
      if (d.posted.has(destination)) return true;
      channel = await d.client.openDm(user);
    } else return false;
    if (d.posted.has(destination)) return true;
    const message = approvalMessage(d.request, d.ctx);
    const ref = await d.client.postMessage(channel, message.text, message.blocks);
    d.deps.sent.remember({ integrationId: d.integrationId, ...ref }, message.text, message.blocks);
    await d.deps.store.saveMessage(d.orgId, { requestId: d.request.id, integrationId: d.integrationId, purpose: 'approval', destination, channel: ref.channel, ts: ref.ts });
    d.posted.add(destination);
    return true;
  } catch (err) {
    if (isTransient(err)) throw err;
    // A channel that does not exist, a user Slack refuses: this recipient cannot be reached; the next may.
    d.deps.logger.warn({ requestId: d.request.id, error: (err as Error).message }, 'slack: approval message not delivered');
    return false;
  }
}

/** The request as messages render it, and what they need around it; null when Slack is not set up for its flow. */
async function load(deps: SlackDeps, orgId: string, requestId: string) {
  const request = await deps.requests.get(systemActor(orgId), requestId).catch(() => null);
  if (!request) return null;
  const flow = await deps.entities.findById(orgId, 'flows', request.flow.id);
  const environmentId = typeof flow?.data.environment_id === 'string' ? flow.data.environment_id : null;
  const workspace = await deps.workspaces.forFlow(orgId, environmentId);
  if (!workspace) return null;
  const params = isObj(flow?.data.params) ? flow.data.params : {};
  const decision = [...(request.events ?? [])].reverse().find((e) => ['request.approved', 'request.denied', 'request.revoked'].includes(e.type));
  const decider = decision?.actor_user_id ? await deps.users.findById(orgId, decision.actor_user_id) : null;
  const ctx: MessageContext = {
    flowLabel: typeof flow?.data.label === 'string' && flow.data.label ? flow.data.label : request.flow.name,
    deciderEmail: decider?.email ?? null,
    allowRevoke: params.allow_revoke !== false,
  };
  return { request, workspace, ctx };
}

/** Job `slack_sync`: posts a new request's messages (`post`), then brings every stored message up to date. */
export async function syncRequest(deps: SlackDeps, orgId: string, requestId: string, post: boolean): Promise<void> {
  let loaded = await load(deps, orgId, requestId);
  if (!loaded) return;
  const { workspace } = loaded;
  const client = await workspace.client();
  const stored = await deps.store.messagesOf(orgId, requestId);
  const posted = new Set(stored.map((m) => m.destination));
  const fresh = new Set<string>();
  if (post) {
    const d: Delivery = { deps, orgId, integrationId: workspace.integration.id, client, request: loaded.request, ctx: loaded.ctx, posted };
    const before = new Set(posted);
    for (const n of loaded.request.notifications?.notifications ?? []) for (const r of n.destinations) await deliver(d, r as JsonValue);
    if (!posted.has('requester')) {
      const requester = await deps.users.findById(orgId, loaded.request.requester.id);
      const slackId = slackIdOf(requester?.identities) ?? (requester ? ((await client.userByEmail(requester.email))?.id ?? null) : null);
      if (slackId) {
        const message = requesterMessage(loaded.request, loaded.ctx);
        const ref = await client.postMessage(await client.openDm(slackId), message.text, message.blocks);
        deps.sent.remember({ integrationId: workspace.integration.id, ...ref }, message.text, message.blocks);
        await deps.store.saveMessage(orgId, { requestId, integrationId: workspace.integration.id, purpose: 'requester', destination: 'requester', channel: ref.channel, ts: ref.ts });
        posted.add('requester');
      }
    }
    for (const p of posted) if (!before.has(p)) fresh.add(p);
    // The request may have moved on while the messages went out: render again from here.
    const again = await load(deps, orgId, requestId);
    if (!again) return;
    // Just posted from the current state: no update needed, unless the state moved on meanwhile.
    if (again.request.updated_at !== loaded.request.updated_at || again.request.state !== loaded.request.state) fresh.clear();
    loaded = again;
  }
  // Read again only when messages were just posted; an update job has the list it read above.
  for (const m of post ? await deps.store.messagesOf(orgId, requestId) : stored) {
    if (fresh.has(m.destination)) continue;
    const message = m.purpose === 'requester' ? requesterMessage(loaded.request, loaded.ctx) : approvalMessage(loaded.request, loaded.ctx);
    const sent = { integrationId: m.integrationId, channel: m.channel, ts: m.ts };
    // Rendered as this process last sent it (a second sync after the same step): nothing to update.
    if (deps.sent.unchanged(sent, message.text, message.blocks)) continue;
    try {
      await client.update({ channel: m.channel, ts: m.ts }, message.text, message.blocks);
      deps.sent.remember(sent, message.text, message.blocks);
    } catch (err) {
      if (isTransient(err)) throw err;
      deps.logger.warn({ requestId, error: (err as Error).message }, 'slack: message not updated');
    }
  }
}

/** `slack.send_message` from a hook: a channel (`slack.channel`), a user's DM (`slack.user`), or the first of a fallback that works. */
export async function sendMessage(deps: SlackDeps, orgId: string, client: SlackClient, destination: JsonValue, text: string): Promise<void> {
  if (!isObj(destination)) throw new Error('slack.send_message: unknown destination');
  if (destination.type === 'slack.fallback') {
    let last: unknown = new Error('slack.send_message: the fallback has no recipient');
    for (const r of Array.isArray(destination.recipients) ? destination.recipients : []) {
      try {
        return await sendMessage(deps, orgId, client, r, text);
      } catch (err) {
        last = err;
      }
    }
    throw last;
  }
  if (destination.type === 'slack.channel' && typeof destination.name === 'string') {
    await client.postMessage(destination.name, text.slice(0, 40_000));
    return;
  }
  const user = await slackUserOf(deps, orgId, client, destination);
  if (!user) throw new Error('slack.send_message: that user has no Slack account in this workspace');
  await client.postMessage(await client.openDm(user), text.slice(0, 40_000));
}
