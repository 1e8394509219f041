/**
 * What each message about a request last showed, as this process sent it (a digest of its text and
 * blocks, by integration, channel and ts). A sync that renders a message exactly as it already is
 * skips `chat.update`: under load, two syncs of a request often both run after its last step (one
 * was claimed late) and would send the same update twice. Kept in memory only: after a restart, or
 * when another process sent the last update, one update too many goes out, never one too few.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { SlackBlock } from '../../integrations/slack/slack-client';

/** Where a message is: its workspace (integration id), channel and ts. */
export interface SentMessageKey {
  integrationId: string;
  channel: string;
  ts: string;
}

/** The last content sent per message. */
export interface SentMessages {
  /** True when `text` and `blocks` are what the message showed after this process's last send. */
  unchanged(key: SentMessageKey, text: string, blocks?: SlackBlock[]): boolean;
  /** Records what the message shows now (after a successful post or update). */
  remember(key: SentMessageKey, text: string, blocks?: SlackBlock[]): void;
}

const digest = (text: string, blocks?: SlackBlock[]) =>
  createHash('sha256')
    .update(JSON.stringify([text, blocks ?? null]))
    .digest('base64');
const keyOf = (k: SentMessageKey) => `${k.integrationId}\n${k.channel}\n${k.ts}`;

/** An in-memory record of the last `max` messages sent. */
export function createSentMessages(max = 10_000): SentMessages {
  const last = new LRUCache<string, string>({ max });
  return {
    unchanged: (key, text, blocks) => last.get(keyOf(key)) === digest(text, blocks),
    remember: (key, text, blocks) => void last.set(keyOf(key), digest(text, blocks)),
  };
}
