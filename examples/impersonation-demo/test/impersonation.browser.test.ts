// The impersonation demo in a real browser (Debian chromium through playwright-core) against a
// real control plane process on embedded PGlite, with the AWS Lambda double standing in for AWS:
// the demo's flow (impl.js, its form, its Lambda strategy deployed from impersonation_lambda.js)
// created body for body as `tofu apply` of main.tf would. Approvals and denials go through the
// API as an approver would make them. Screenshots land in .tmp/browser-artifacts/.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collect, createSymClient, unwrap, type SymClient } from '@opensym/api-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startLambdaDouble, type LambdaDouble } from '../../../control-plane/src/test-support/lambda-double';
import { startControlPlane, type ControlPlaneProcess } from '../../../packages/cli/src/test-support/control-plane-process';
import { createDemoApp } from '../src/app';
import { artifactsDir, launchChromium, portOf, until } from './browser-support';

const exampleDir = new URL('../', import.meta.url);
const read = (file: string) => readFile(new URL(file, exampleDir), 'utf8');

describe('impersonation demo in chromium against a control plane on PGlite', { timeout: 10 * 60_000 }, () => {
  let lambda: LambdaDouble;
  let cp: ControlPlaneProcess;
  let server: Server;
  let appUrl: string;
  let browser: Browser;
  let approver: SymClient;
  /** Added to the app's clock: moves the middleware past a grant's end without waiting for it. */
  let clockOffset = 0;
  const contexts: BrowserContext[] = [];

  before(async () => {
    lambda = await startLambdaDouble();
    cp = await startControlPlane({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'impersonation-demo-secret',
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      SYM_LAMBDA_ROLE_ARN: 'arn:aws:iam::123456789012:role/impersonation-demo',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    const create = async (kind: string, body: object) => ((await unwrap(cp.admin.raw.POST(`/api/v1/entities/${kind}` as '/api/v1/entities/flows', { body: body as never }))) as { id: string }).id;
    // What `tofu apply` of main.tf creates.
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
    // The approver: a member of #impersonations' organization with a token of their own.
    const lead = await cp.admin.users.create({ email: 'lead@example.com', role: 'member' });
    approver = createSymClient({ baseUrl: cp.url, token: (await cp.admin.tokens.issueForUser(lead.id)).token });
    const appToken = await cp.admin.tokens.issueBot({ name: 'impersonation-demo', role: 'member' });

    const app = createDemoApp({ apiUrl: cp.url, token: appToken.token, secret: 'browser-test-secret-browser-test-secret', now: () => Date.now() + clockOffset, refreshSeconds: 1, cacheTtlMs: 1000 });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    appUrl = `http://127.0.0.1:${portOf(server)}`;
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await cp?.stop();
    await lambda?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
  /** A fresh browser context signed in to the demo as `email`. */
  const signedIn = async (email: string): Promise<Page> => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${appUrl}/`);
    await page.getByLabel('Your work email').fill(email);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    return page;
  };
  const heading = (page: Page) => page.locator('h1').innerText();
  /** The newest pending request of the flow for these fields. */
  const pendingFor = async (customer: string) =>
    until(`a pending request for customer ${customer}`, async () =>
      (await collect(cp.admin.requests.list({ state: 'pending', flow: 'impersonate' }))).find((r) => (r.fields as Record<string, unknown>).user_id === customer),
    );
  /** Reloads until the page's heading is `text` (the control plane's jobs and the re-check cache decide when). */
  const reloadUntilHeading = (page: Page, text: string) =>
    until(`heading "${text}"`, async () => {
      await page.reload();
      return (await heading(page)) === text;
    });
  const grantCookie = async (page: Page) => (await page.context().cookies()).find((c) => c.name === 'opensym_grant_impersonate');

  let support: Page;

  it('shows the approval page with labelled fields and focus in the first one, and the API’s 422 inline', async () => {
    support = await signedIn('support@example.com');
    await support.getByRole('link', { name: 'Impersonate Ada Lovelace' }).click();
    assert.equal(await heading(support), 'Approval needed');
    assert.equal(new URL(support.url()).pathname, '/customers/42/impersonate');
    assert.equal(await support.evaluate(() => document.activeElement?.id), 'field-reason', 'focus starts in the first field to fill');
    assert.equal(await support.locator('dd').first().innerText(), '42');
    await shot(support, 'approval-page');
    // Keyboard only: Enter in the empty field submits; the API refuses it and the page says so at the field.
    await support.keyboard.press('Enter');
    await support.locator('.field-error').waitFor();
    assert.match(await support.locator('#field-reason-error').innerText(), /required/i);
    assert.equal(await support.getByLabel('Why do you need to impersonate this customer?').getAttribute('aria-invalid'), 'true');
    assert.equal(await support.evaluate(() => document.activeElement?.id), 'field-reason');
    await shot(support, 'approval-page-422');
  });

  it('waits with who was asked, then continues to the protected page once approved through the API', async () => {
    await support.getByLabel('Why do you need to impersonate this customer?').fill('Ticket 4711: invoices look wrong');
    await support.getByRole('button', { name: 'Request access' }).click();
    assert.equal(await heading(support), 'Waiting for approval');
    assert.match(await support.locator('.status').innerText(), /Asked: the Slack channel #impersonations\./);
    await shot(support, 'waiting');
    const request = await pendingFor('42');
    assert.equal(request.requester.email, 'support@example.com');
    assert.equal((request.fields as Record<string, unknown>).reason, 'Ticket 4711: invoices look wrong');
    await approver.requests.approve(request.id, { reason: 'ok for ticket 4711' });
    // No reload from the test: the page's meta refresh brings it there once the Lambda granted access.
    await support.getByRole('heading', { name: 'You are impersonating Ada Lovelace' }).waitFor({ timeout: 60_000 });
    assert.equal(new URL(support.url()).pathname, '/customers/42/impersonate');
    assert.ok(lambda.calls.some((c) => c.operation === 'Invoke' && JSON.parse(String(c.body)).type === 'escalate'));
    await shot(support, 'impersonating');
  });

  it('refuses the grant cookie forged (expiry changed) or replayed by another signed-in visitor', async () => {
    const cookie = (await grantCookie(support))!;
    const [payload, signature] = decodeURIComponent(cookie.value).split('.');
    const value = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...value, e: value.e + 7 * 86_400_000 })).toString('base64url')}.${signature}`;

    const forger = await signedIn('support@example.com');
    await forger.context().addCookies([{ ...cookie, value: encodeURIComponent(forged) }]);
    await forger.goto(`${appUrl}/customers/42/impersonate`);
    assert.equal(await heading(forger), 'Approval needed');
    assert.match(await forger.locator('.status').innerText(), /not issued by this app/);
    assert.equal(await grantCookie(forger), undefined, 'the forged cookie is deleted');
    await shot(forger, 'forged-cookie');

    const other = await signedIn('ops@example.com');
    await other.context().addCookies([cookie]);
    await other.goto(`${appUrl}/customers/42/impersonate`);
    assert.equal(await heading(other), 'Approval needed');
    assert.match(await other.locator('.status').innerText(), /belongs to someone else/);

    // The genuine cookie in its owner's browser still works: the refusals were about the cookie.
    await support.reload();
    assert.equal(await heading(support), 'You are impersonating Ada Lovelace');
  });

  it('asks again once the grant’s time is over, and the old cookie does not bring it back', async () => {
    const cookie = (await grantCookie(support))!;
    clockOffset = 2 * 3600_000; // past active_until (the flow grants one hour)
    try {
      await support.reload();
      assert.equal(await heading(support), 'Approval needed');
      assert.match(await support.locator('.status').innerText(), /Your approval has expired/);
      await support.context().addCookies([cookie]);
      await support.reload();
      assert.equal(await heading(support), 'Approval needed');
      await shot(support, 'expired');
    } finally {
      clockOffset = 0;
    }
  });

  it('asks again after the access is revoked through the API, even with the revoked grant’s cookie replayed', async () => {
    const page = await signedIn('support@example.com');
    await page.goto(`${appUrl}/customers/1337/impersonate`);
    await page.getByLabel('Why do you need to impersonate this customer?').fill('Ticket 99');
    await page.getByRole('button', { name: 'Request access' }).click();
    const request = await pendingFor('1337');
    await approver.requests.approve(request.id);
    await page.getByRole('heading', { name: 'You are impersonating Alan Turing' }).waitFor({ timeout: 60_000 });
    const cookie = (await grantCookie(page))!;
    await approver.requests.revoke(request.id, { reason: 'done with the ticket' });
    await reloadUntilHeading(page, 'Access ended');
    assert.match(await page.locator('.status').innerText(), /expired or was revoked/);
    await page.context().addCookies([cookie]);
    await page.reload();
    assert.equal(await heading(page), 'Access ended');
    await shot(page, 'revoked');
  });

  it('shows the denial with the decision message and a form to ask again', async () => {
    const page = await signedIn('support@example.com');
    await page.getByRole('link', { name: 'Impersonate Grace Hopper' }).click();
    await page.getByLabel('Why do you need to impersonate this customer?').fill('Curious');
    await page.getByRole('button', { name: 'Request access' }).click();
    const request = await pendingFor('7');
    await approver.requests.deny(request.id, { reason: 'Not during the change freeze' });
    await page.getByRole('heading', { name: 'Request denied' }).waitFor({ timeout: 30_000 });
    assert.match(await page.locator('.status').innerText(), /The decision: Not during the change freeze/);
    assert.equal(await page.getByRole('button', { name: 'Ask again' }).count(), 1);
    assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, 'a decided request stops reloading');
    await shot(page, 'denied');
  });
});
