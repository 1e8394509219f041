/**
 * The Slack Web API calls OpenSym makes, over `@slack/web-api`'s WebClient (its retries on 5xx and
 * network errors, its wait on 429 `Retry-After`, its cursor pagination). One client per integration
 * (bot token); `apiUrl` points it at another server (the local double in tests,
 * `SYM_SLACK_API_URL`).
 */
import { WebClient, type RetryOptions } from '@slack/web-api';

/** Block Kit JSON as sent (blocks and views are built by the Slack feature). */
export type SlackBlock = Record<string, unknown>;

/** A Slack user as `users.info` / `users.lookupByEmail` give it (the fields used). */
export interface SlackUser {
  id: string;
  email: string | null;
  name: string;
  isBot: boolean;
  deleted: boolean;
  /** A Slack guest of the workspace (`is_restricted` or `is_ultra_restricted`). */
  guest: boolean;
  /** The user's own team (`team_id`): another team than the workspace's means a Slack Connect user. */
  teamId: string | null;
}

/** A message's place: channel id and timestamp. */
export interface SlackMessageRef {
  channel: string;
  ts: string;
}

/** The calls the control plane makes; every failure is a {@link SlackApiError}. */
export interface SlackClient {
  authTest(): Promise<{ teamId: string; userId: string }>;
  postMessage(channel: string, text: string, blocks?: SlackBlock[]): Promise<SlackMessageRef>;
  update(ref: SlackMessageRef, text: string, blocks?: SlackBlock[]): Promise<void>;
  postEphemeral(channel: string, user: string, text: string): Promise<void>;
  openView(triggerId: string, view: SlackBlock): Promise<void>;
  publishHome(user: string, view: SlackBlock): Promise<void>;
  /** The DM channel with `user` (`conversations.open`). */
  openDm(user: string): Promise<string>;
  /** Every member of `channel`, all pages (`conversations.members`). */
  channelMembers(channel: string): Promise<string[]>;
  /** `users.info`; null when Slack knows no such user. */
  userInfo(user: string): Promise<SlackUser | null>;
  /** `users.lookupByEmail`; null when nobody has that email. */
  userByEmail(email: string): Promise<SlackUser | null>;
}

/** A Slack call that failed; `code` is Slack's error (`channel_not_found`, `ratelimited`, `http_500`, ...). Never holds the token. */
export class SlackApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
  ) {
    super(`Slack ${method} failed: ${code}`);
    this.name = 'SlackApiError';
  }
}

/** Default Slack API base; `SYM_SLACK_API_URL` replaces it (tests, proxies). */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/** `SYM_SLACK_API_URL`, with the trailing slash WebClient needs. */
export function slackApiUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.SYM_SLACK_API_URL?.trim();
  if (!url) return DEFAULT_SLACK_API_URL;
  return url.endsWith('/') ? url : `${url}/`;
}

/** Retries of one call: a few quick ones (a job retries the whole step later with backoff). */
export const DEFAULT_SLACK_RETRIES: RetryOptions = { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 2_000, randomize: true };

type Answer = Record<string, unknown> & { ok?: boolean; error?: string };

const userOf = (u: Record<string, unknown> | undefined): SlackUser | null => {
  if (!u || typeof u.id !== 'string') return null;
  const profile = (u.profile ?? {}) as Record<string, unknown>;
  return {
    id: u.id,
    email: typeof profile.email === 'string' ? profile.email.toLowerCase() : null,
    name: String(u.name ?? u.id),
    isBot: u.is_bot === true,
    deleted: u.deleted === true,
    guest: u.is_restricted === true || u.is_ultra_restricted === true,
    teamId: typeof u.team_id === 'string' && u.team_id ? u.team_id : null,
  };
};

/** A client for one bot token. */
export function createSlackClient({ token, apiUrl = DEFAULT_SLACK_API_URL, retries = DEFAULT_SLACK_RETRIES }: { token: string; apiUrl?: string; retries?: RetryOptions }): SlackClient {
  const web = new WebClient(token, { slackApiUrl: apiUrl, retryConfig: retries, allowAbsoluteUrls: false, logger: silentLogger() });
  const call = async (method: string, args: Record<string, unknown>): Promise<Answer> => {
    try {
      return (await web.apiCall(method, args)) as Answer;
    } catch (err) {
      throw new SlackApiError(method, codeOf(err));
    }
  };
  const tryCall = async (method: string, args: Record<string, unknown>, absent: string): Promise<Answer | null> => {
    try {
      return await call(method, args);
    } catch (err) {
      if (err instanceof SlackApiError && err.code === absent) return null;
      throw err;
    }
  };
  return {
    async authTest() {
      const a = await call('auth.test', {});
      return { teamId: String(a.team_id), userId: String(a.user_id) };
    },
    async postMessage(channel, text, blocks) {
      const a = await call('chat.postMessage', { channel, text, ...(blocks && { blocks }) });
      return { channel: String(a.channel), ts: String(a.ts) };
    },
    async update(ref, text, blocks) {
      await call('chat.update', { channel: ref.channel, ts: ref.ts, text, blocks: blocks ?? [] });
    },
    async postEphemeral(channel, user, text) {
      await call('chat.postEphemeral', { channel, user, text });
    },
    async openView(triggerId, view) {
      await call('views.open', { trigger_id: triggerId, view });
    },
    async publishHome(user, view) {
      await call('views.publish', { user_id: user, view });
    },
    async openDm(user) {
      const a = await call('conversations.open', { users: user });
      return String((a.channel as { id?: string } | undefined)?.id);
    },
    async channelMembers(channel) {
      const members: string[] = [];
      let cursor: string | undefined;
      // Slack pages by cursor; an empty next_cursor ends the list.
      do {
        const a = await call('conversations.members', { channel, limit: 200, ...(cursor && { cursor }) });
        members.push(...((a.members as string[] | undefined) ?? []));
        cursor = (a.response_metadata as { next_cursor?: string } | undefined)?.next_cursor || undefined;
      } while (cursor);
      return members;
    },
    async userInfo(user) {
      const a = await tryCall('users.info', { user }, 'user_not_found');
      return a ? userOf(a.user as Record<string, unknown>) : null;
    },
    async userByEmail(email) {
      const a = await tryCall('users.lookupByEmail', { email }, 'users_not_found');
      return a ? userOf(a.user as Record<string, unknown>) : null;
    },
  };
}

/** Slack's error code of a WebClient failure, without anything else it carries (headers, the request). */
function codeOf(err: unknown): string {
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number; retryAfter?: number };
  if (e?.data?.error) return e.data.error;
  if (e?.code === 'slack_webapi_http_error' && e.statusCode) return `http_${e.statusCode}`;
  if (e?.code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  if (e?.code === 'slack_webapi_request_error') return 'request_failed';
  return 'unknown_error';
}

/** WebClient logs every retry at info/warn on the console by default; the caller reports failures instead. */
function silentLogger() {
  const noop = () => {};
  return { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, getLevel: () => 'error' as never, setName: noop };
}
