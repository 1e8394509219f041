/**
 * Plays Slack's side of the inbound endpoints in tests: slash commands, `block_actions` and
 * `view_submission` payloads as Slack sends them (form-encoded, interactions as `payload=<JSON>`),
 * signed with the app's signing secret (or deliberately not: `forge`, `at` for a stale timestamp).
 * Trigger ids come from the Slack double, so `views.open` accepts them once.
 */
import type supertest from 'supertest';
import { slackSignature } from '../slack-signature';
import type { SlackApiDouble } from './slack-api-double';

/** How to sign one call: the right secret now (default), another secret, or another time. */
export interface SignOptions {
  /** Sign with this secret instead (a forgery). */
  secret?: string;
  /** Unix seconds to stamp (a stale request). */
  at?: number;
  /** Send exactly these headers (replays). */
  headers?: { timestamp: string; signature: string };
}

/** One signed call as sent, so a test can send it again. */
export interface SentCall {
  path: string;
  body: string;
  headers: { timestamp: string; signature: string };
  response: supertest.Response;
}

/** A Slack user as the client presents them. */
export interface ActingSlackUser {
  id: string;
  name?: string;
}

/**
 * What Slack sends for each thing a user does, the same over HTTP and Socket Mode: the slash
 * command's fields, and the `block_actions` / `view_submission` payloads. Trigger ids come from
 * the double, so `views.open` accepts each once.
 */
export function slackPayloads(slack: SlackApiDouble) {
  const team = { id: slack.teamId, domain: 'double' };
  return {
    /** The fields of `/sym <text>` from `user` in `channel`. */
    command(user: ActingSlackUser, text: string, channel = 'C0GENERAL'): Record<string, string> {
      const triggerId = slack.issueTrigger();
      return {
        token: 'verification-token-unused',
        team_id: slack.teamId,
        team_domain: 'double',
        channel_id: channel,
        channel_name: 'general',
        user_id: user.id,
        user_name: user.name ?? user.id,
        command: '/sym',
        text,
        api_app_id: 'A0DOUBLE',
        response_url: `https://hooks.slack.invalid/commands/${triggerId}`,
        trigger_id: triggerId,
      };
    },
    /** A button click (`block_actions`) on a message in `channel`. */
    click(user: ActingSlackUser, action: { action_id: string; value: string }, message: { channel: string; ts: string }): Record<string, unknown> {
      return {
        type: 'block_actions',
        team,
        user: { id: user.id, username: user.name ?? user.id, team_id: slack.teamId },
        api_app_id: 'A0DOUBLE',
        trigger_id: slack.issueTrigger(),
        container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
        channel: { id: message.channel },
        message: { ts: message.ts, type: 'message' },
        actions: [{ type: 'button', action_id: action.action_id, block_id: 'sym_decision', value: action.value, action_ts: String(Date.now() / 1000) }],
      };
    },
    /** A modal submission: `values` as Slack's `view.state.values` (block id → action id → state). */
    submit(user: ActingSlackUser, view: { callback_id: string; private_metadata?: string; values: Record<string, Record<string, unknown>> }): Record<string, unknown> {
      return {
        type: 'view_submission',
        team,
        user: { id: user.id, username: user.name ?? user.id, team_id: slack.teamId },
        api_app_id: 'A0DOUBLE',
        trigger_id: slack.issueTrigger(),
        view: { id: 'V0SUBMIT', type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata ?? '', state: { values: view.values } },
      };
    },
  };
}

/** The client for one workspace (team id) and signing secret. */
export function slackTestClient({ request, signingSecret, slack }: { request: ReturnType<typeof supertest>; signingSecret: string; slack: SlackApiDouble }) {
  const send = async (path: string, body: string, contentType: string, sign: SignOptions = {}): Promise<SentCall> => {
    const timestamp = sign.headers?.timestamp ?? String(sign.at ?? Math.floor(Date.now() / 1000));
    const signature = sign.headers?.signature ?? slackSignature(sign.secret ?? signingSecret, timestamp, body);
    const response = await request.post(path).set('content-type', contentType).set('x-slack-request-timestamp', timestamp).set('x-slack-signature', signature).send(body);
    return { path, body, headers: { timestamp, signature }, response };
  };
  const interaction = (payload: Record<string, unknown>, sign?: SignOptions) =>
    send('/slack/interactions', new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', sign);
  const payloads = slackPayloads(slack);
  return {
    /** `/sym <text>` from `user` in `channel`. */
    command(user: ActingSlackUser, text: string, sign?: SignOptions, channel = 'C0GENERAL') {
      return send('/slack/commands', new URLSearchParams(payloads.command(user, text, channel)).toString(), 'application/x-www-form-urlencoded', sign);
    },
    /** A button click (`block_actions`) on a message in `channel`. */
    click(user: ActingSlackUser, action: { action_id: string; value: string }, message: { channel: string; ts: string }, sign?: SignOptions) {
      return interaction(payloads.click(user, action, message), sign);
    },
    /** Submits a modal: `values` as Slack's `view.state.values` (block id → action id → state). */
    submit(user: ActingSlackUser, view: { callback_id: string; private_metadata?: string; values: Record<string, Record<string, unknown>> }, sign?: SignOptions) {
      return interaction(payloads.submit(user, view), sign);
    },
    /** An Events API call (JSON), e.g. `url_verification`. */
    event(body: Record<string, unknown>, sign?: SignOptions) {
      return send('/slack/events', JSON.stringify(body), 'application/json', sign);
    },
    /** Sends a call again exactly as it was (a replay). */
    replay(call: SentCall) {
      return send(call.path, call.body, call.path === '/slack/events' ? 'application/json' : 'application/x-www-form-urlencoded', { headers: call.headers });
    },
  };
}

/** The client's type. */
export type SlackTestClient = ReturnType<typeof slackTestClient>;
