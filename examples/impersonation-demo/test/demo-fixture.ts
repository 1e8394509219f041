import type { Server } from 'node:http';
import path from 'node:path';
import { collect, createSymClient, type AccessRequest, type SymClient } from '@opensym/api-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSlackApiDouble, type DoubleMessage, type SlackApiDouble } from '../../../control-plane/src/integrations/slack/testing/slack-api-double';
import { slackPayloads } from '../../../control-plane/src/integrations/slack/testing/slack-test-client';
import { slackSignature } from '../../../control-plane/src/integrations/slack/slack-signature';
import { startLambdaDouble, type LambdaDouble } from '../../../control-plane/src/test-support/lambda-double';
import { startControlPlane, type ControlPlaneProcess } from '../../../packages/cli/src/test-support/control-plane-process';
import { createDemoApp } from '../src/app';
import { applyExampleTerraform, prepareTerraform } from './apply-example';
import { artifactsDir, launchChromium, portOf, until } from './browser-support';

/** The Slack users of the scenario (support@ asks, lead@ approves; both are in #impersonations). */
export const SLACK_PEOPLE = {
  support: { id: 'U0SUPPORT', name: 'support', email: 'support@example.com' },
  ops: { id: 'U0OPS', name: 'ops', email: 'ops@example.com' },
  lead: { id: 'U0LEAD', name: 'lead', email: 'lead@example.com' },
} as const;

/** The approver channel of impl.js in the Slack double. */
export const IMPERSONATIONS_CHANNEL = 'C0IMPERSONATIONS';

const SIGNING_SECRET = 'impersonation-demo-slack-signing-secret';

/** The demo app on a control plane process, with chromium and the people of the scenario. */
export interface DemoFixture {
  cp: ControlPlaneProcess;
  lambda: LambdaDouble;
  /** The Slack Web API double the control plane posts to (workspace, users, #impersonations). */
  slack: SlackApiDouble;
  /** The approval message of this request in #impersonations, once the control plane posted it. */
  approvalMessage(requestId: string): Promise<DoubleMessage>;
  /** Clicks `action` (`sym_approve`, `sym_deny`) on `message` as this Slack user: a signed `block_actions` call to `/slack/interactions`. */
  clickInSlack(user: { id: string; name?: string }, action: string, requestId: string, message: DoubleMessage): Promise<Response>;
  /** lead@example.com's own token: approves, denies and revokes through the API. */
  approver: SymClient;
  appUrl: string;
  browser: Browser;
  /** A fresh browser context signed in to the demo as `email` (`javaScript: false`: a browser without script). */
  signedIn(email: string, options?: { javaScript?: boolean }): Promise<Page>;
  /** The pending request of the flow for this customer, once the control plane lists it. */
  pendingFor(customer: string): Promise<AccessRequest>;
  /** Every request of the flow for this customer, newest first. */
  requestsFor(customer: string): Promise<AccessRequest[]>;
  shot(page: Page, name: string): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Starts the Lambda double and the Slack Web API double (workspace with support@, ops@ and
 * lead@example.com; #impersonations with lead@ and support@ as members), a control plane process
 * on PGlite (with `env` added; Slack at the double, its bot token and signing secret in the
 * environment variables main.tf's `env` secrets name) holding what `tofu apply` of the example's
 * own main.tf created (see {@link applyExampleTerraform}), the users support@, ops@
 * and lead@example.com with their `identities.slack`, the demo app with a member bot token on a
 * free port (its clock is `now`), and chromium.
 */
export async function startDemo({ env = {}, now }: { env?: NodeJS.ProcessEnv; now: () => number }): Promise<DemoFixture> {
  const terraform = await prepareTerraform();
  const lambda = await startLambdaDouble();
  // main.tf's sym_integration.slack external_id: the workspace the double plays.
  const slack = await startSlackApiDouble({ teamId: 'T0123456789' });
  for (const person of Object.values(SLACK_PEOPLE)) slack.addUser(person);
  // The requester is a member too: allow_self: false, not membership, is what refuses them.
  slack.addChannel({ id: IMPERSONATIONS_CHANNEL, name: 'impersonations', members: [SLACK_PEOPLE.lead.id, SLACK_PEOPLE.support.id, slack.botUserId] });
  const cp = await startControlPlane({
    SYM_SLACK_API_URL: slack.apiUrl,
    // The paths of main.tf's sym_secret resources.
    SYM_SECRET_SLACK_BOT_TOKEN: slack.botToken,
    SYM_SECRET_SLACK_SIGNING_SECRET: SIGNING_SECRET,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'impersonation-demo-secret',
    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
    SYM_LAMBDA_ROLE_ARN: 'arn:aws:iam::123456789012:role/impersonation-demo',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...env,
  });
  try {
    await applyExampleTerraform(terraform, { apiUrl: cp.url, token: cp.adminToken, org: (await cp.admin.whoami()).org.slug });
  } catch (err) {
    await Promise.allSettled([cp.stop(), lambda.close(), slack.close()]);
    throw err;
  } finally {
    terraform.dispose();
  }
  for (const person of [SLACK_PEOPLE.support, SLACK_PEOPLE.ops]) await cp.admin.users.create({ email: person.email, role: 'member', identities: { slack: person.id } });
  const lead = await cp.admin.users.create({ email: SLACK_PEOPLE.lead.email, role: 'member', identities: { slack: SLACK_PEOPLE.lead.id } });
  const approver = createSymClient({ baseUrl: cp.url, token: (await cp.admin.tokens.issueForUser(lead.id)).token });
  const appToken = await cp.admin.tokens.issueBot({ name: 'impersonation-demo', role: 'member' });

  const app = createDemoApp({ apiUrl: cp.url, token: appToken.token, secret: 'browser-test-secret-browser-test-secret', now, refreshSeconds: 1, cacheTtlMs: 1000 });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const appUrl = `http://127.0.0.1:${portOf(server)}`;
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];

  const payloads = slackPayloads(slack);

  return {
    cp,
    lambda,
    slack,
    approvalMessage: (requestId) =>
      until(`the approval message of ${requestId} in #impersonations`, async () =>
        slack.messagesIn(IMPERSONATIONS_CHANNEL).find((m) => JSON.stringify(m.blocks).includes(requestId) && JSON.stringify(m.blocks).includes('"sym_approve"')),
      ),
    clickInSlack(user, action, requestId, message) {
      const body = new URLSearchParams({ payload: JSON.stringify(payloads.click(user, { action_id: action, value: requestId }, message)) }).toString();
      const timestamp = String(Math.floor(Date.now() / 1000));
      return fetch(`${cp.url}/slack/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body) },
        body,
      });
    },
    approver,
    appUrl,
    browser,
    async signedIn(email, { javaScript = true } = {}) {
      const context = await browser.newContext({ javaScriptEnabled: javaScript });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${appUrl}/`);
      await page.getByLabel('Your work email').fill(email);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Customers' }).waitFor();
      return page;
    },
    pendingFor: (customer) =>
      until(`a pending request for customer ${customer}`, async () => (await collect(cp.admin.requests.list({ state: 'pending', flow: 'impersonate' }))).find((r) => r.fields.user_id === customer)),
    requestsFor: async (customer) => (await collect(cp.admin.requests.list({ flow: 'impersonate' }))).filter((r) => r.fields.user_id === customer),
    shot: (page, name) => page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true }),
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await cp.stop();
      await lambda.close();
      await slack.close();
    },
  };
}
