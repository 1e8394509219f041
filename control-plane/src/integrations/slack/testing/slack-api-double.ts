/**
 * A local stand-in for the Slack Web API, following Slack's method reference for the methods the
 * control plane calls: `auth.test`, `chat.postMessage`, `chat.update`, `chat.postEphemeral`,
 * `views.open`, `views.publish`, `conversations.open`, `conversations.members` (cursor pages),
 * `users.info`, `users.lookupByEmail`, and `apps.connections.open` (with the app-level token, once
 * a Socket Mode double is attached: `socket-mode-double.ts`). `POST /api/<method>` form-encoded (or JSON) with
 * `Authorization: Bearer <bot token>`; answers `{ok: true, ...}` or `{ok: false, error}` as Slack
 * does (HTTP 200), checks required arguments, that channels, users, messages and trigger ids exist,
 * and Block Kit (`block-kit-rules.ts`); a message with blocks must carry `text` (the fallback).
 * Every call is recorded; `failNext` makes the next calls of a method answer 429 with
 * `Retry-After`, or a 5xx.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockProblems, viewProblems } from './block-kit-rules';

/** A user of the double's workspace. */
export interface DoubleUser {
  id: string;
  name: string;
  email?: string;
  isBot?: boolean;
  /** A Slack guest (`is_restricted`). */
  guest?: boolean;
  /** The user's own team when not the workspace's (a Slack Connect user). */
  teamId?: string;
}

/** A channel (public or private) of the double's workspace. */
export interface DoubleChannel {
  id: string;
  name: string;
  members: string[];
}

/** A message as the double stores it. */
export interface DoubleMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  /** How many times chat.update changed it. */
  updates: number;
  /** When each text was set (`performance.now()`), posted first then each update: for the benchmark. */
  history: { at: number; text: string }[];
}

/** One call the double answered (arguments as parsed; `blocks` and `view` as objects). */
export interface DoubleCall {
  method: string;
  args: Record<string, unknown>;
  /** `ok`, Slack's error code, or `http_<status>` for an injected failure. */
  outcome: string;
}

/** The running double. */
export interface SlackApiDouble {
  /** What to give WebClient's `slackApiUrl` (`http://127.0.0.1:<port>/api/`). */
  apiUrl: string;
  teamId: string;
  botToken: string;
  botUserId: string;
  users: Map<string, DoubleUser>;
  channels: Map<string, DoubleChannel>;
  /** Messages by `<channel>:<ts>`. */
  messages: Map<string, DoubleMessage>;
  /** Ephemeral messages: who saw what where. */
  ephemerals: { channel: string; user: string; text: string }[];
  /** Views opened (modals) and published (App Home). */
  views: { method: string; view: Record<string, unknown>; user?: string }[];
  calls: DoubleCall[];
  addUser(user: DoubleUser): void;
  addChannel(channel: DoubleChannel): void;
  /** A trigger id `views.open` accepts once (the signed test client issues one per interaction). */
  issueTrigger(): string;
  /** The next `count` calls of `method` fail (after `pass` more calls succeed): 429 with `Retry-After: retryAfter` seconds, or HTTP `status`. */
  failNext(method: string, failure: { status: 429; retryAfter: number } | { status: 500 | 502 | 503 }, count?: number, pass?: number): void;
  /** Successful calls of `method`. */
  okCalls(method: string): DoubleCall[];
  /** The DM channel id of `user` (created by `conversations.open`), if opened. */
  dmOf(user: string): string | undefined;
  /** Messages in a channel, oldest first. */
  messagesIn(channel: string): DoubleMessage[];
  /** Serves `apps.connections.open` for `appToken` with the URLs `open` hands out (Socket Mode double). */
  enableSocketMode(appToken: string, open: () => string): void;
  close(): Promise<void>;
}

type Args = Record<string, unknown>;
type Answer = Record<string, unknown>;

class SlackFailure extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

const need = (args: Args, ...names: string[]) => {
  for (const n of names) if (args[n] === undefined || args[n] === '') throw new SlackFailure(n === 'trigger_id' ? 'invalid_trigger_id' : n === 'channel' ? 'channel_not_found' : 'invalid_arguments');
};

const parseJsonArg = (args: Args, name: string): void => {
  if (typeof args[name] === 'string') {
    try {
      args[name] = JSON.parse(args[name] as string);
    } catch {
      throw new SlackFailure(name === 'view' ? 'invalid_arguments' : 'invalid_blocks_format');
    }
  }
};

/** Starts the double on a free loopback port. */
export async function startSlackApiDouble(options: { teamId?: string; botToken?: string } = {}): Promise<SlackApiDouble> {
  const teamId = options.teamId ?? 'T0DOUBLE1';
  const botToken = options.botToken ?? 'xoxb-double-token';
  const botUserId = 'UBOT00001';
  const users = new Map<string, DoubleUser>([[botUserId, { id: botUserId, name: 'opensym', isBot: true }]]);
  const channels = new Map<string, DoubleChannel>();
  const dms = new Map<string, string>();
  const messages = new Map<string, DoubleMessage>();
  const ephemerals: SlackApiDouble['ephemerals'] = [];
  const views: SlackApiDouble['views'] = [];
  const calls: DoubleCall[] = [];
  const triggers = new Set<string>();
  const failures = new Map<string, ({ status: 429; retryAfter: number } | { status: number } | null)[]>();
  let socketMode: { appToken: string; open: () => string } | null = null;
  let tsCounter = 0;
  let triggerCounter = 0;
  let dmCounter = 0;

  const channelOf = (ref: unknown): DoubleChannel => {
    const id = String(ref);
    const byId = channels.get(id);
    if (byId) return byId;
    // chat.postMessage takes a channel name too (`#ops` or `ops`); other methods want ids.
    const name = id.replace(/^#/, '');
    for (const c of channels.values()) if (c.name === name) return c;
    throw new SlackFailure('channel_not_found');
  };
  const userOf = (ref: unknown): DoubleUser => {
    const u = users.get(String(ref));
    if (!u) throw new SlackFailure('user_not_found');
    return u;
  };
  const userJson = (u: DoubleUser) => ({
    id: u.id,
    team_id: u.teamId ?? teamId,
    name: u.name,
    deleted: false,
    is_bot: u.isBot === true,
    is_restricted: u.guest === true,
    is_ultra_restricted: false,
    profile: { ...(u.email && { email: u.email }), real_name: u.name },
  });
  const checkMessage = (args: Args) => {
    parseJsonArg(args, 'blocks');
    const hasBlocks = Array.isArray(args.blocks) && args.blocks.length > 0;
    if (hasBlocks && blockProblems(args.blocks, 50).length > 0) throw new SlackFailure('invalid_blocks');
    // Slack accepts blocks without `text` but then has no fallback for notifications: refused here.
    if (typeof args.text !== 'string' || args.text.length === 0) throw new SlackFailure(hasBlocks ? 'missing_text_fallback' : 'no_text');
    if (args.text.length > 40_000) throw new SlackFailure('msg_too_long');
  };

  const methods: Record<string, (args: Args) => Answer> = {
    // Checked against the app-level token below; Slack refuses it to an app without Socket Mode.
    'apps.connections.open': () => {
      if (!socketMode) throw new SlackFailure('not_allowed_token_type');
      return { url: socketMode.open() };
    },
    'auth.test': () => ({ url: 'https://double.slack.com/', team: 'Double', user: 'opensym', team_id: teamId, user_id: botUserId, bot_id: 'B0DOUBLE' }),
    'chat.postMessage': (args) => {
      need(args, 'channel');
      const channel = channelOf(args.channel);
      checkMessage(args);
      const ts = `${1_700_000_000 + tsCounter}.${String(++tsCounter).padStart(6, '0')}`;
      const message: DoubleMessage = {
        channel: channel.id,
        ts,
        text: String(args.text),
        blocks: (args.blocks as unknown[]) ?? [],
        updates: 0,
        history: [{ at: performance.now(), text: String(args.text) }],
      };
      messages.set(`${channel.id}:${ts}`, message);
      return { channel: channel.id, ts, message: { text: message.text, ts, blocks: message.blocks } };
    },
    'chat.update': (args) => {
      need(args, 'channel', 'ts');
      const channel = channelOf(args.channel);
      const message = messages.get(`${channel.id}:${String(args.ts)}`);
      if (!message) throw new SlackFailure('message_not_found');
      checkMessage(args);
      message.text = String(args.text);
      message.blocks = (args.blocks as unknown[]) ?? [];
      message.updates += 1;
      message.history.push({ at: performance.now(), text: message.text });
      return { channel: channel.id, ts: message.ts, text: message.text };
    },
    'chat.postEphemeral': (args) => {
      need(args, 'channel', 'user');
      const channel = channelOf(args.channel);
      const user = userOf(args.user);
      if (!channel.members.includes(user.id)) throw new SlackFailure('user_not_in_channel');
      checkMessage(args);
      ephemerals.push({ channel: channel.id, user: user.id, text: String(args.text) });
      return { message_ts: `${1_700_000_000 + tsCounter}.${String(++tsCounter).padStart(6, '0')}` };
    },
    'views.open': (args) => {
      need(args, 'trigger_id', 'view');
      // A trigger id is good once (Slack: also only for 3 s, which a test cannot show without waiting).
      if (!triggers.delete(String(args.trigger_id))) throw new SlackFailure('expired_trigger_id');
      parseJsonArg(args, 'view');
      if (viewProblems(args.view, 'modal').length > 0) throw new SlackFailure('invalid_arguments');
      views.push({ method: 'views.open', view: args.view as Record<string, unknown> });
      return { view: { id: `V${views.length}`, ...(args.view as Answer) } };
    },
    'views.publish': (args) => {
      need(args, 'user_id', 'view');
      userOf(args.user_id);
      parseJsonArg(args, 'view');
      if (viewProblems(args.view, 'home').length > 0) throw new SlackFailure('invalid_arguments');
      views.push({ method: 'views.publish', view: args.view as Record<string, unknown>, user: String(args.user_id) });
      return { view: { id: `V${views.length}`, ...(args.view as Answer) } };
    },
    'conversations.open': (args) => {
      need(args, 'users');
      const ids = String(args.users).split(',');
      if (ids.length !== 1) throw new SlackFailure('not_supported');
      const user = userOf(ids[0]);
      let id = dms.get(user.id);
      if (!id) {
        id = `D${String(++dmCounter).padStart(8, '0')}`;
        dms.set(user.id, id);
        channels.set(id, { id, name: id, members: [user.id, botUserId] });
      }
      return { channel: { id } };
    },
    'conversations.members': (args) => {
      need(args, 'channel');
      const channel = channels.get(String(args.channel));
      if (!channel) throw new SlackFailure('channel_not_found');
      const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 1000);
      const start = args.cursor ? Number(Buffer.from(String(args.cursor), 'base64').toString('utf8').replace('offset:', '')) : 0;
      if (!Number.isInteger(start) || start < 0) throw new SlackFailure('invalid_cursor');
      const page = channel.members.slice(start, start + limit);
      const next = start + limit < channel.members.length ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
      return { members: page, response_metadata: { next_cursor: next } };
    },
    'users.info': (args) => {
      need(args, 'user');
      return { user: userJson(userOf(args.user)) };
    },
    'users.lookupByEmail': (args) => {
      need(args, 'email');
      const email = String(args.email).toLowerCase();
      for (const u of users.values()) if (u.email?.toLowerCase() === email) return { user: userJson(u) };
      throw new SlackFailure('users_not_found');
    },
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      const raw = Buffer.concat(chunks).toString('utf8');
      const args: Args = /json/.test(String(req.headers['content-type'])) && raw ? (JSON.parse(raw) as Args) : Object.fromEntries(new URLSearchParams(raw));
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || String(args.token ?? '');
      delete args.token;
      const send = (status: number, body: Answer, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      };
      const queued = failures.get(method);
      const failure = queued?.shift();
      if (failure) {
        calls.push({ method, args, outcome: `http_${failure.status}` });
        if (failure.status === 429) return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String((failure as { retryAfter: number }).retryAfter) });
        return send(failure.status, { ok: false, error: 'internal_error' });
      }
      const handler = methods[method];
      if (!handler) return send(404, { ok: false, error: 'unknown_method' });
      let outcome = 'ok';
      let answer: Answer;
      try {
        // apps.connections.open takes only the app-level token (xapp-); every other method the bot token.
        const expected = method === 'apps.connections.open' ? socketMode?.appToken : botToken;
        if (!token) throw new SlackFailure('not_authed');
        if (token !== expected) throw new SlackFailure(token === botToken || token === socketMode?.appToken ? 'not_allowed_token_type' : 'invalid_auth');
        answer = { ok: true, ...handler(args) };
      } catch (err) {
        outcome = err instanceof SlackFailure ? err.code : 'internal_error';
        answer = { ok: false, error: outcome };
      }
      calls.push({ method, args, outcome });
      send(200, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    teamId,
    botToken,
    botUserId,
    users,
    channels,
    messages,
    ephemerals,
    views,
    calls,
    addUser: (u) => void users.set(u.id, u),
    addChannel: (c) => void channels.set(c.id, c),
    issueTrigger: () => {
      const id = `${++triggerCounter}.${Date.now()}.trigger`;
      triggers.add(id);
      return id;
    },
    failNext: (method, failure, count = 1, pass = 0) =>
      failures.set(method, [...(failures.get(method) ?? []), ...Array.from({ length: pass }, () => null), ...Array.from({ length: count }, () => failure)]),
    okCalls: (method) => calls.filter((c) => c.method === method && c.outcome === 'ok'),
    dmOf: (user) => dms.get(user),
    messagesIn: (channel) => [...messages.values()].filter((m) => m.channel === channel),
    enableSocketMode: (appToken, open) => void (socketMode = { appToken, open }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
