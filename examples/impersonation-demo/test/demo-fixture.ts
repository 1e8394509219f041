import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';
import { collect, createSymClient, unwrap, type AccessRequest, type SymClient } from '@opensym/api-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startLambdaDouble, type LambdaDouble } from '../../../control-plane/src/test-support/lambda-double';
import { startControlPlane, type ControlPlaneProcess } from '../../../packages/cli/src/test-support/control-plane-process';
import { createDemoApp } from '../src/app';
import { artifactsDir, launchChromium, portOf, until } from './browser-support';

const exampleDir = new URL('../', import.meta.url);
const read = (file: string) => readFile(new URL(file, exampleDir), 'utf8');

/** The demo app on a control plane process, with chromium and the people of the scenario. */
export interface DemoFixture {
  cp: ControlPlaneProcess;
  lambda: LambdaDouble;
  /** lead@example.com's own token: approves, denies and revokes through the API. */
  approver: SymClient;
  appUrl: string;
  browser: Browser;
  /** A fresh browser context signed in to the demo as `email`. */
  signedIn(email: string): Promise<Page>;
  /** The pending request of the flow for this customer, once the control plane lists it. */
  pendingFor(customer: string): Promise<AccessRequest>;
  /** Every request of the flow for this customer, newest first. */
  requestsFor(customer: string): Promise<AccessRequest[]>;
  shot(page: Page, name: string): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Starts the Lambda double, a control plane process on PGlite (with `env` added) holding what
 * `tofu apply` of main.tf creates, body for body, the users support@, ops@ and lead@example.com,
 * the demo app with a member bot token on a free port (its clock is `now`), and chromium.
 */
export async function startDemo({ env = {}, now }: { env?: NodeJS.ProcessEnv; now: () => number }): Promise<DemoFixture> {
  const lambda = await startLambdaDouble();
  const cp = await startControlPlane({
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'impersonation-demo-secret',
    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
    SYM_LAMBDA_ROLE_ARN: 'arn:aws:iam::123456789012:role/impersonation-demo',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...env,
  });
  const create = async (kind: string, body: object) => ((await unwrap(cp.admin.raw.POST(`/api/v1/entities/${kind}` as '/api/v1/entities/flows', { body: body as never }))) as { id: string }).id;
  const formId = await create('forms', {
    field: { user_id: { type: 'string', required: true, label: 'Customer' }, reason: { type: 'string', required: true, label: 'Why do you need to impersonate this customer?' } },
  });
  const strategyId = await create('access-strategies', {
    type: 'aws_lambda',
    name: 'impersonation',
    label: 'User Impersonation',
    targets: [],
    settings: { code: await read('impersonation_lambda.js'), set_id: randomUUID() },
  });
  const slackId = await create('integrations', { type: 'slack', name: 'impersonation-demo-slack', external_id: 'T0123456789' });
  const environmentId = await create('environments', { name: 'impersonation-demo', label: 'Impersonation demo', integrations: { slack_id: slackId } });
  await create('flows', {
    name: 'impersonate',
    label: 'Impersonate a customer',
    implementation: await read('impl.js'),
    environment_id: environmentId,
    params: { strategy_id: strategyId, form_id: formId, allowed_sources: ['api'], additional_header_text: 'Impersonation is logged and expires on its own.' },
  });
  for (const email of ['support@example.com', 'ops@example.com']) await cp.admin.users.create({ email, role: 'member' });
  const lead = await cp.admin.users.create({ email: 'lead@example.com', role: 'member' });
  const approver = createSymClient({ baseUrl: cp.url, token: (await cp.admin.tokens.issueForUser(lead.id)).token });
  const appToken = await cp.admin.tokens.issueBot({ name: 'impersonation-demo', role: 'member' });

  const app = createDemoApp({ apiUrl: cp.url, token: appToken.token, secret: 'browser-test-secret-browser-test-secret', now, refreshSeconds: 1, cacheTtlMs: 1000 });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const appUrl = `http://127.0.0.1:${portOf(server)}`;
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];

  return {
    cp,
    lambda,
    approver,
    appUrl,
    browser,
    async signedIn(email) {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${appUrl}/`);
      await page.getByLabel('Your work email').fill(email);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Customers' }).waitFor();
      return page;
    },
    pendingFor: (customer) =>
      until(`a pending request for customer ${customer}`, async () =>
        (await collect(cp.admin.requests.list({ state: 'pending', flow: 'impersonate' }))).find((r) => (r.fields as Record<string, unknown>).user_id === customer),
      ),
    requestsFor: async (customer) => (await collect(cp.admin.requests.list({ flow: 'impersonate' }))).filter((r) => (r.fields as Record<string, unknown>).user_id === customer),
    shot: (page, name) => page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true }),
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await cp.stop();
      await lambda.close();
    },
  };
}
