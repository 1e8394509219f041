/**
 * A control plane on PGlite wired to the Slack double and the PagerDuty double, with one Slack
 * workspace configured the way a user would (env secret source, two `sym_secret`s, a `slack`
 * integration, an environment naming it), for the Slack integration tests.
 */
import assert from 'node:assert/strict';
import type { DatabaseLocation } from '../../db/database';
import { waitFor } from '../../jobs/testing/wait-for';
import { startSlackApiDouble, type DoubleMessage, type SlackApiDouble } from '../../integrations/slack/testing/slack-api-double';
import { slackTestClient, type SlackTestClient } from '../../integrations/slack/testing/slack-test-client';
import { socketTestClient, startSocketModeDouble, type SocketModeDouble, type SocketTestClient } from '../../integrations/slack/testing/socket-mode-double';
import { startPagerDutyDouble, type PagerDutyDouble } from '../../test-support/pagerduty-double';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import type { StrategyInvocation, StrategyRegistry } from '../strategies/access-strategy';

/** Slack people of the double's workspace (and, by email, of PagerDuty's). */
export const PEOPLE = {
  requester: { id: 'UREQ', name: 'sam', email: 'support@example.com' },
  mgr1: { id: 'UMGR1', name: 'mo', email: 'manager1@example.com' },
  mgr2: { id: 'UMGR2', name: 'max', email: 'manager2@example.com' },
  outsider: { id: 'UOUT', name: 'olly', email: 'outsider@example.com' },
} as const;

const SIGNING_SECRET = 'slack-signing-secret-for-tests';
let envCounter = 0;

/** Everything a Slack test talks to. */
export interface SlackTestbed {
  t: TestControlPlane;
  slack: SlackApiDouble;
  pd: PagerDutyDouble;
  client: SlackTestClient;
  /** With `socketMode`: the Socket Mode double (connected) and a client sending envelopes over it. */
  socket?: { double: SocketModeDouble; client: SocketTestClient };
  signingSecret: string;
  strategyCalls: Pick<StrategyInvocation, 'action' | 'requestId'>[];
  /** Strategy calls from now on wait (a slow grant) until the returned function is called. */
  holdStrategy(): () => void;
  environmentId: string;
  strategyId: string;
  create(path: string, body: object): Promise<string>;
  requestOf(id: string): Promise<{ state: string; reason: string | null; events: { type: string; data: Record<string, unknown> }[]; requester: { email: string }; id: string }>;
  waitState(id: string, state: string): Promise<void>;
  /** The newest request of the organization. */
  latestRequest(): Promise<{ id: string; state: string } | null>;
  /** The approval message in `user`'s DM (waits for it). */
  dmMessage(user: string, pick?: (m: DoubleMessage) => boolean): Promise<DoubleMessage>;
  close(): Promise<void>;
}

/** A recording strategy registry: every escalate and deescalate succeeds (once released, while held). */
function recording(): StrategyRegistry & { calls: Pick<StrategyInvocation, 'action' | 'requestId'>[]; hold(): () => void } {
  const calls: Pick<StrategyInvocation, 'action' | 'requestId'>[] = [];
  let held: Promise<void> | null = null;
  const record = async ({ action, requestId }: StrategyInvocation) => {
    calls.push({ action, requestId });
    await held;
    return { body: { ok: true } };
  };
  const hold = () => {
    let release!: () => void;
    held = new Promise<void>((resolve) => (release = resolve));
    return () => {
      held = null;
      release();
    };
  };
  return { calls, hold, runnerFor: () => ({ escalate: record, deescalate: record }) };
}

/** Starts the doubles and a control plane; `location` lets a test reopen the same database. */
export async function startSlackTestbed(
  options: {
    location?: DatabaseLocation;
    startJobs?: boolean;
    slack?: SlackApiDouble;
    pd?: PagerDutyDouble;
    configure?: boolean;
    pendingTtlSeconds?: number;
    socketMode?: boolean;
    /** The integration names no token secrets (a Sym config): the control plane's own app (`slackApp`) holds the bot token and signing secret. */
    operatorApp?: boolean;
    /** Answers checked against the OpenAPI document (default true; the bench runs as production does, without). */
    validateResponses?: boolean;
  } = {},
): Promise<SlackTestbed> {
  const slack = options.slack ?? (await startSlackApiDouble());
  for (const p of Object.values(PEOPLE)) slack.addUser(p);
  slack.addChannel({ id: 'C0GENERAL', name: 'general', members: Object.values(PEOPLE).map((p) => p.id) });
  slack.addChannel({ id: 'C0OPS', name: 'ops', members: [PEOPLE.mgr1.id, PEOPLE.requester.id, slack.botUserId] });
  slack.addChannel({ id: 'C0ERRORS', name: 'sym-errors', members: [slack.botUserId] });
  const pd =
    options.pd ??
    (await startPagerDutyDouble({
      token: 'pd-token',
      users: [
        { id: 'PMGR1', name: 'Mo', email: PEOPLE.mgr1.email },
        { id: 'PMGR2', name: 'Max', email: PEOPLE.mgr2.email },
      ],
      oncalls: [
        { userId: 'PMGR1', escalationPolicyId: 'EP1', scheduleId: 'id_of_mgr_on_call' },
        { userId: 'PMGR2', escalationPolicyId: 'EP1', scheduleId: 'id_of_mgr_on_call' },
      ],
    }));
  process.env.SYM_PAGERDUTY_API_URL = pd.url;
  const n = `${process.pid}_${envCounter++}`;
  const env = { bot: `SYM_SECRET_SLACK_BOT_${n}`, signing: `SYM_SECRET_SLACK_SIGNING_${n}`, app: `SYM_SECRET_SLACK_APP_${n}`, pd: `SYM_SECRET_PD_${n}` };
  const socketDouble = options.socketMode ? await startSocketModeDouble(slack) : undefined;
  if (socketDouble) process.env[env.app] = socketDouble.appToken;
  process.env[env.bot] = slack.botToken;
  process.env[env.signing] = SIGNING_SECRET;
  process.env[env.pd] = pd.token;
  const strategies = recording();
  const t = await startTestControlPlane(options.location, {
    workflow: {
      strategies,
      ...(options.pendingTtlSeconds && { pendingTtlSeconds: options.pendingTtlSeconds }),
      slackApiUrl: slack.apiUrl,
      // The operator's app carries the app-level token too when the test asks for Socket Mode.
      slackApp: options.operatorApp ? { botToken: slack.botToken, signingSecret: SIGNING_SECRET, ...(socketDouble && { appToken: socketDouble.appToken }) } : {},
      slackRetries: { retries: 2, factor: 1, minTimeout: 1, maxTimeout: 5 },
      jobs: { pollIntervalMs: 20, backoff: { baseMs: 20, maxMs: 100 } },
    },
    startJobs: options.startJobs ?? true,
    validateResponses: options.validateResponses ?? true,
  });
  const bearer = { Authorization: `Bearer ${t.admin}` };
  const create = async (path: string, body: object) => {
    const res = await t.request.post(`/api/v1/${path}`).set(bearer).send(body);
    assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  let environmentId = '';
  let strategyId = '';
  if (options.configure !== false) {
    const source = await create('entities/secret-sources', { type: 'env', name: 'env' });
    const bot = await create('entities/secrets', { path: env.bot, source_id: source });
    const signing = await create('entities/secrets', { path: env.signing, source_id: source });
    const pdSecret = await create('entities/secrets', { path: env.pd, source_id: source });
    const app = socketDouble && !options.operatorApp ? await create('entities/secrets', { path: env.app, source_id: source }) : undefined;
    const slackIntegration = await create('entities/integrations', {
      type: 'slack',
      name: 'workspace',
      external_id: slack.teamId,
      settings: { ...(!options.operatorApp && { bot_token_secret: bot, signing_secret_secret: signing }), ...(app && { app_token_secret: app }) },
    });
    const pdIntegration = await create('entities/integrations', { type: 'pagerduty', name: 'pd', external_id: 'example.pagerduty.com', settings: { api_token_secret: pdSecret } });
    const errorLogger = await create('entities/error-loggers', { integration_id: slackIntegration, destination: '#sym-errors' });
    environmentId = await create('entities/environments', { name: 'prod', error_logger_id: errorLogger, integrations: { slack_id: slackIntegration, pagerduty_id: pdIntegration } });
    const target = await create('entities/access-targets', { type: 'custom', name: 'support-console', label: 'Support console' });
    strategyId = await create('entities/access-strategies', {
      type: 'custom',
      name: 'impersonation',
      targets: [target],
      implementation: `import { AccessStrategy } from "sym/sdk/strategies";\nexport class S extends AccessStrategy {\n  fetch_remote_identity(user) { return user.email; }\n  escalate(target_id, event) {}\n  deescalate(target_id, event) {}\n}\n`,
    });
  }
  const requestOf = async (id: string) => (await t.request.get(`/api/v1/requests/${id}`).set(bearer)).body;
  if (socketDouble) {
    // As the server does once it listens; the connection comes up in the background.
    await t.cp.slackSocketMode.start();
    await waitFor('a Socket Mode connection', () => socketDouble.openConnections() > 0);
  }
  return {
    t,
    slack,
    pd,
    client: slackTestClient({ request: t.request, signingSecret: SIGNING_SECRET, slack }),
    ...(socketDouble && { socket: { double: socketDouble, client: socketTestClient(socketDouble, slack) } }),
    signingSecret: SIGNING_SECRET,
    strategyCalls: strategies.calls,
    holdStrategy: strategies.hold,
    environmentId,
    strategyId,
    create,
    requestOf,
    waitState: async (id, state) => {
      await waitFor(`request ${id} to be ${state}`, async () => (await requestOf(id)).state === state);
    },
    latestRequest: async () => {
      const list = (await t.request.get('/api/v1/requests?limit=200').set(bearer)).body.data as { id: string; state: string; created_at: string }[];
      return list.sort((a, b) => b.created_at.localeCompare(a.created_at))[0] ?? null;
    },
    dmMessage: async (user, pick = () => true) =>
      waitFor(`a DM to ${user}`, () => {
        const dm = slack.dmOf(user);
        return dm ? slack.messagesIn(dm).find(pick) : undefined;
      }),
    close: async () => {
      await t.cp.slackSocketMode.stop();
      await socketDouble?.close();
      await t.close();
      if (!options.slack) await slack.close();
      if (!options.pd) await pd.close();
    },
  };
}
