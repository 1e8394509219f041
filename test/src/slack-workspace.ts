/**
 * The Slack workspace the examples name (team `T0123456789`), served by the control plane's Slack
 * Web API double: an example's `slack.channel('#x')` approvers are the members of `#x` as this
 * double lists them, matched by the decider's `identities.slack`.
 */
import { startSlackApiDouble, type DoubleCall, type SlackApiDouble } from '../../control-plane/src/integrations/slack/testing/slack-api-double';
import { waitFor } from '../../control-plane/src/jobs/testing/wait-for';

/** The team id every example's `sym_integration "slack"` gives as `external_id`. */
export const exampleSlackTeamId = 'T0123456789';

/** A person of the workspace: their Slack user id and email. */
export interface SlackPerson {
  id: string;
  email: string;
}

/** The running workspace: the double, the control plane's environment for it, and waits on it. */
export interface SlackWorkspace {
  double: SlackApiDouble;
  /**
   * `SYM_SLACK_API_URL` and the env secrets the examples' `sym_secret`s read
   * (`SYM_SECRET_SLACK_BOT_TOKEN`, `SYM_SECRET_SLACK_SIGNING_SECRET`).
   */
  env: Record<string, string>;
  signingSecret: string;
  /** Waits until the approval message of request `requestId` is posted and stored for channel `name` (`#x`). */
  approvalPosted(name: string, requestId: string, requester: SlackPerson): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the double as workspace {@link exampleSlackTeamId} with `people` as users and `channels`
 * (name without `#` → member emails; each member must be one of `people`).
 */
export async function startSlackWorkspace(people: SlackPerson[], channels: Record<string, string[]>): Promise<SlackWorkspace> {
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const botToken = `xoxb-e2e-${tag}`;
  const signingSecret = `e2e-slack-signing-${tag}`;
  const double = await startSlackApiDouble({ teamId: exampleSlackTeamId, botToken });
  for (const p of people) double.addUser({ id: p.id, name: p.email.split('@')[0]!, email: p.email });
  let n = 0;
  for (const [name, emails] of Object.entries(channels)) {
    const members = emails.map((email) => people.find((p) => p.email === email)?.id ?? fail(`#${name}: ${email} is not a Slack user`));
    double.addChannel({ id: `C0E2E${String(++n).padStart(6, '0')}`, name, members });
  }
  return {
    double,
    env: { SYM_SLACK_API_URL: double.apiUrl, SYM_SECRET_SLACK_BOT_TOKEN: botToken, SYM_SECRET_SLACK_SIGNING_SECRET: signingSecret },
    signingSecret,
    async approvalPosted(name, requestId, requester) {
      const channel = [...double.channels.values()].find((c) => c.name === name.replace(/^#/, '')) ?? fail(`no channel ${name}`);
      // The control plane resolves a named channel through the approval message it posted there
      // (Slack's answer names the channel id): until its row is stored, the channel admits nobody.
      // The row is written before the same job looks the requester up for their DM, so that
      // lookup (by Slack id or by email), recorded after the post, shows the row is there.
      const isApproval = (c: DoubleCall) =>
        c.method === 'chat.postMessage' && c.outcome === 'ok' && String(c.args.channel).replace(/^#/, '') === channel.name && JSON.stringify(c.args.blocks).includes(requestId);
      const looksUpRequester = (c: DoubleCall) => (c.method === 'conversations.open' && c.args.users === requester.id) || (c.method === 'users.lookupByEmail' && c.args.email === requester.email);
      await waitFor(
        `the approval message of ${requestId} in ${name}, then the requester's lookup`,
        () => {
          const posted = double.calls.findIndex(isApproval);
          return posted >= 0 && double.calls.slice(posted + 1).some(looksUpRequester);
        },
        60_000,
        50,
      );
    },
    close: () => double.close(),
  };
}

function fail(message: string): never {
  throw new Error(message);
}
