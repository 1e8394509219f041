/** What the Slack feature's modules share (built once by `createSlackFeature`). */
import type { Logger } from 'pino';
import type { NewJob } from '../../jobs/job-queue';
import type { SlackWorkspaces } from '../../integrations/slack/slack-workspaces';
import type { EntityRecord } from '../../shared/entity-record';
import type { RequestActor, RequestService } from '../requests/request-service';
import type { UserRecord } from '../users/user-store';
import type { FlowsFilter } from './flows-filter';
import type { SlackIdentities } from './slack-identity';
import type { SentMessages } from './slack-sent-messages';
import type { SlackStore } from './slack-store';

/** The Slack feature's dependencies. */
export interface SlackDeps {
  workspaces: SlackWorkspaces;
  requests: RequestService;
  identities: SlackIdentities;
  store: SlackStore;
  /** The organization's `sym_flows_filter` (`get_flows`) over the flows a Slack user is offered. */
  flowsFilter: FlowsFilter;
  users: { findById(orgId: string, id: string): Promise<UserRecord | null> };
  entities: { findById(orgId: string, kind: string, id: string): Promise<EntityRecord | null>; list(orgId: string, kind: string, filter: object): Promise<EntityRecord[]> };
  /** Adds a durable job (and wakes the runner). */
  enqueue(job: NewJob): Promise<void>;
  /** What each message last showed, so a sync skips an update that changes nothing. */
  sent: SentMessages;
  logger: Logger;
}

/** The organization itself reading a request (to render it): no user, admin rights, no token. */
export const systemActor = (orgId: string): RequestActor => ({ orgId, tokenId: null, role: 'admin', userId: null });

/** A Slack user acting as their OpenSym user (role as stored, source `slack`). */
export const actorOf = (user: UserRecord): RequestActor => ({ orgId: user.orgId, tokenId: null, role: user.role, userId: user.id, source: 'slack' });
