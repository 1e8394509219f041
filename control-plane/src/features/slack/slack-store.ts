/**
 * The Slack feature's table (`SlackMessage`: the messages posted about each request, so later
 * steps update them in place) and the one user query it needs (a user by Slack identity).
 */
import { groupRead, sharedRead, type GroupReadOptions } from '../../db/group-read';
import type { PrismaClient } from '../../generated/prisma/client';

/** A posted message as stored. */
export interface SlackMessageRecord {
  requestId: string;
  integrationId: string;
  /** `approval` (a channel or an approver's DM) or `requester` (the requester's DM). */
  purpose: 'approval' | 'requester';
  /** The recipient as resolved (`channel:#ops`, `user:U123`, `requester`): one message per request and destination. */
  destination: string;
  channel: string;
  ts: string;
}

/** Reads and writes of the Slack feature. */
export interface SlackStore {
  /** Records a posted message; false when one for this request and destination exists already. */
  saveMessage(orgId: string, message: SlackMessageRecord): Promise<boolean>;
  messagesOf(orgId: string, requestId: string): Promise<SlackMessageRecord[]>;
  /** The channel id a message to `destination` (`channel:#ops`) was posted in, most recently. */
  channelIdOf(orgId: string, destination: string): Promise<string | null>;
  /** The id of the user of `orgId` whose `identities.slack` is `slackId` (as a string or `{user_id}`). */
  userIdBySlackId(orgId: string, slackId: string): Promise<string | null>;
}

/** The Prisma-backed store; concurrent reads of requests' messages share a statement (`reads`, db/group-read.ts). */
export function createSlackStore(prisma: PrismaClient, reads: GroupReadOptions = {}): SlackStore {
  type Key = { orgId: string; requestId: string };
  const messagesByRequest = groupRead(
    (keys: Key[]) => prisma.slackMessage.findMany({ where: { requestId: { in: [...new Set(keys.map((k) => k.requestId))] } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    (row, key: Key) => row.requestId === key.requestId && row.orgId === key.orgId,
    reads,
  );
  const channelIds = sharedRead(
    async ({ orgId, destination }: { orgId: string; destination: string }) =>
      (await prisma.slackMessage.findFirst({ where: { orgId, destination }, orderBy: { createdAt: 'desc' }, select: { channel: true } }))?.channel ?? null,
    ({ orgId, destination }) => `${orgId}\n${destination}`,
    reads,
  );
  const userIds = sharedRead(
    async ({ orgId, slackId }: { orgId: string; slackId: string }) =>
      (
        await prisma.user.findFirst({
          where: { orgId, OR: [{ identities: { path: ['slack'], equals: slackId } }, { identities: { path: ['slack', 'user_id'], equals: slackId } }] },
          select: { id: true },
        })
      )?.id ?? null,
    ({ orgId, slackId }) => `${orgId}\n${slackId}`,
    reads,
  );
  return {
    async saveMessage(orgId, m) {
      const { count } = await prisma.slackMessage.createMany({ data: [{ orgId, ...m }], skipDuplicates: true });
      return count === 1;
    },
    async messagesOf(orgId, requestId) {
      const rows = await messagesByRequest({ orgId, requestId });
      return rows.map((r) => ({
        requestId: r.requestId,
        integrationId: r.integrationId,
        purpose: r.purpose as SlackMessageRecord['purpose'],
        destination: r.destination,
        channel: r.channel,
        ts: r.ts,
      }));
    },
    channelIdOf: (orgId, destination) => channelIds({ orgId, destination }),
    userIdBySlackId: (orgId, slackId) => userIds({ orgId, slackId }),
  };
}
