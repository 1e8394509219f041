/**
 * The Slack feature, built once by `compose.ts`: the inbound routes and Socket Mode connections
 * (one handler behind both), the job handlers, the request
 * store wrapper that keeps messages in step, and the channel-membership lookup the approver rules
 * use for `slack.channel` approvers.
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { OperationIndex } from '../../http/operations';
import { createReplayGuard } from '../../integrations/slack/replay-guard';
import type { SlackWorkspaces } from '../../integrations/slack/slack-workspaces';
import type { JobHandlers, NewJob } from '../../jobs/job-queue';
import type { ChannelMembersLookup, RequestService } from '../requests/request-service';
import type { UserStore } from '../users/user-store';
import type { SlackDeps } from './slack-deps';
import { createSlackIdentities } from './slack-identity';
import type { FlowsFilter } from './flows-filter';
import { createSlackInbound } from './slack-inbound';
import { cachedEntities } from './slack-entity-cache';
import { createSentMessages } from './slack-sent-messages';
import { slackJobHandlers } from './slack-jobs';
import { slackRoutes } from './slack-routes';
import { createSlackSocketMode, type SlackSocketMode } from './slack-socket-mode';
import type { SlackStore } from './slack-store';
import type { SlackHost } from '../../sandbox';
import { sendMessage } from './slack-delivery';
import { sharedRead } from '../../db/group-read';

/** What the composition root wires. */
export interface SlackFeature {
  routes(operations: OperationIndex): ReturnType<typeof slackRoutes>;
  jobs: JobHandlers;
  channelMembers: ChannelMembersLookup;
  /** Socket Mode connections of the integrations that name an app-level token; the server starts and stops them. */
  socketMode: SlackSocketMode;
  /** The door behind hooks' `slack.send_message` for a flow's environment. */
  hostFor(orgId: string, environmentId: string | null): Promise<SlackHost | undefined>;
  /** Drops the entities the feature keeps a few seconds (call on every entity change). */
  forget(): void;
}

/** Builds the feature; `requests` is read lazily (the service is built after the store wrapper). */
export function createSlackFeature(input: {
  workspaces: SlackWorkspaces;
  requests: () => RequestService;
  store: SlackStore;
  users: Pick<UserStore, 'findById' | 'findByEmail' | 'create' | 'update'>;
  entities: SlackDeps['entities'];
  enqueue(job: NewJob): Promise<void>;
  logger: Logger;
  /** Slack Web API base URL, for Socket Mode's `apps.connections.open`. */
  apiUrl: string;
  /** The organization's `sym_flows_filter` (`flows-filter.ts`). */
  flowsFilter: FlowsFilter;
}): SlackFeature {
  const entities = cachedEntities(input.entities);
  const deps: SlackDeps = {
    workspaces: input.workspaces,
    get requests() {
      return input.requests();
    },
    identities: createSlackIdentities({ users: input.users, slack: input.store }),
    store: input.store,
    flowsFilter: input.flowsFilter,
    users: input.users,
    entities,
    enqueue: input.enqueue,
    logger: input.logger,
    sent: createSentMessages(),
  };
  const replays = createReplayGuard();
  const channelIds = new LRUCache<string, string>({ max: 5_000, ttl: 5_000 });
  const memberReaders = new LRUCache<string, (key: undefined) => Promise<string[]>>({ max: 5_000 });
  const inbound = createSlackInbound(deps);
  const socketMode = createSlackSocketMode({
    workspaces: input.workspaces,
    inbound,
    logger: input.logger,
    apiUrl: input.apiUrl,
    runAfter: (outcome) => void outcome.after?.().catch((err: unknown) => input.logger.warn({ error: (err as Error).message }, 'slack: work after the ack failed')),
  });
  return {
    routes: (operations) => slackRoutes({ operations, workspaces: input.workspaces, inbound, replays, logger: input.logger }),
    socketMode,
    jobs: slackJobHandlers(deps),
    forget: () => {
      entities.forget();
      channelIds.clear();
    },
    async hostFor(orgId, environmentId) {
      const workspace = await input.workspaces.forFlow(orgId, environmentId);
      if (!workspace) return undefined;
      return { sendMessage: async (destination, text) => sendMessage(deps, orgId, await workspace.client(), destination, text) };
    },
    async channelMembers(orgId, environmentId, channel) {
      const workspace = await input.workspaces.forFlow(orgId, environmentId);
      if (!workspace) return null;
      const client = await workspace.client();
      // Approver channels are named `#name` or by id; conversations.members wants the id. The id of a
      // name is kept a few seconds (a burst of clicks in one channel looks it up once); the members
      // are asked every time, as they decide who may approve.
      const key = `${orgId}\n${channel}`;
      const id = /^[CG][A-Z0-9]+$/.test(channel) ? channel : (channelIds.get(key) ?? (await channelIdOf(deps, orgId, channel)));
      if (id && id !== channel) channelIds.set(key, id);
      if (!id) return null;
      // Clicks in one channel that arrive while its members are being asked share the next answer:
      // one asked after each of them arrived, so a member removed before a click is never admitted.
      const readerKey = `${orgId}\n${environmentId ?? ''}\n${id}`;
      let members = memberReaders.get(readerKey);
      if (!members)
        memberReaders.set(
          readerKey,
          (members = sharedRead(
            async () => client.channelMembers(id),
            () => id,
          )),
        );
      return new Set(await members(undefined));
    },
  };
}

/** The id of a channel named `#name`, from a message posted there for some request. */
async function channelIdOf(deps: SlackDeps, orgId: string, name: string): Promise<string | null> {
  return deps.store.channelIdOf(orgId, `channel:${name}`);
}
