// The impersonation demo in a real browser (Debian chromium through playwright-core) against a
// real control plane process on embedded PGlite, with the AWS Lambda double standing in for AWS:
// the demo's flow (impl.js, its form, its Lambda strategy deployed from impersonation_lambda.js)
// created body for body as `tofu apply` of main.tf would, and the Slack Web API double as the
// workspace whose #impersonations channel (lead@ and support@) decides who may approve. Approvals
// and denials go through the API as that channel's member would make them, once the approval
// message is in the channel (a named channel is resolved through it), and once by clicking
// Approve in Slack (a signed block_actions call). Screenshots land in .tmp/browser-artifacts/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { until } from './browser-support';
import { SLACK_PEOPLE, startDemo, type DemoFixture } from './demo-fixture';

describe('impersonation demo in chromium against a control plane on PGlite', { timeout: 10 * 60_000 }, () => {
  let demo: DemoFixture;
  /** Added to the app's clock: moves the middleware past a grant's end without waiting for it. */
  let clockOffset = 0;

  before(async () => {
    demo = await startDemo({ now: () => Date.now() + clockOffset });
  });
  after(async () => {
    await demo?.close();
  });

  const shot = (page: Page, name: string) => demo.shot(page, name);
  const signedIn = (email: string, options?: { javaScript?: boolean }) => demo.signedIn(email, options);
  const pendingFor = (customer: string) => demo.pendingFor(customer);
  const heading = (page: Page) => page.locator('h1').innerText();
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

  it('waits with who was asked, then continues to the protected page once approved through the API (told by server-sent events)', async () => {
    // What the page's event stream answered (each answer is one event or a comment; the browser
    // reconnects). Chromium keeps no body of EventSource answers, so the test passes them through.
    const streamed: string[] = [];
    const isStream = (url: URL) => url.searchParams.get('opensym') === 'events';
    await support.route(isStream, async (route) => {
      const response = await route.fetch();
      const body = await response.text();
      streamed.push(body);
      await route.fulfill({ response, body });
    });
    await support.getByLabel('Why do you need to impersonate this customer?').fill('Ticket 4711: invoices look wrong');
    await support.getByRole('button', { name: 'Request access' }).click();
    assert.equal(await heading(support), 'Waiting for approval');
    assert.match(await support.locator('.status').innerText(), /Asked: the Slack channel #impersonations\./);
    await shot(support, 'waiting');
    const request = await pendingFor('42');
    assert.equal(request.requester.email, 'support@example.com');
    assert.equal((request.fields as Record<string, unknown>).reason, 'Ticket 4711: invoices look wrong');
    await demo.approvalMessage(request.id);
    await demo.approver.requests.approve(request.id, { reason: 'ok for ticket 4711' });
    // No reload from the test: the page's script reloads it when its event stream says the state
    // changed (the meta refresh is in <noscript>), so it gets there once the Lambda granted access.
    await support.getByRole('heading', { name: 'You are impersonating Ada Lovelace' }).waitFor({ timeout: 60_000 });
    assert.equal(new URL(support.url()).pathname, '/customers/42/impersonate');
    assert.ok(
      streamed.some((text) => text.includes('event: change\ndata: granted')),
      streamed.join('|'),
    );
    assert.ok(
      streamed.every((text) => text.startsWith('retry: 1000\n')),
      streamed.join('|'),
    );
    await support.unroute(isStream);
    assert.ok(demo.lambda.calls.some((c) => c.operation === 'Invoke' && JSON.parse(String(c.body)).type === 'escalate'));
    await shot(support, 'impersonating');
  });

  it('refuses the grant cookie forged (expiry changed) or replayed by another signed-in visitor', async () => {
    const cookie = (await grantCookie(support))!;
    const [payload, signature] = decodeURIComponent(cookie.value).split('.');
    const value = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...value, e: value.e + 7 * 86_400_000 })).toString('base64url')}.${signature}`;

    const forger = await signedIn('support@example.com');
    await forger.context().addCookies([{ ...cookie, value: encodeURIComponent(forged) }]);
    await forger.goto(`${demo.appUrl}/customers/42/impersonate`);
    assert.equal(await heading(forger), 'Approval needed');
    assert.match(await forger.locator('.status').innerText(), /not issued by this app/);
    assert.equal(await grantCookie(forger), undefined, 'the forged cookie is deleted');
    await shot(forger, 'forged-cookie');

    const other = await signedIn('ops@example.com');
    await other.context().addCookies([cookie]);
    await other.goto(`${demo.appUrl}/customers/42/impersonate`);
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

  it('without script, the waiting page still continues once approved (its meta refresh)', async () => {
    const page = await signedIn('ops@example.com', { javaScript: false });
    await page.goto(`${demo.appUrl}/customers/1337/impersonate`);
    await page.getByLabel('Why do you need to impersonate this customer?').fill('Ticket 12: no script here');
    await page.getByRole('button', { name: 'Request access' }).click();
    assert.equal(await heading(page), 'Waiting for approval');
    const request = await pendingFor('1337');
    await demo.approvalMessage(request.id);
    await demo.approver.requests.approve(request.id);
    await page.getByRole('heading', { name: 'You are impersonating Alan Turing' }).waitFor({ timeout: 60_000 });
  });

  it('asks again after the access is revoked through the API, even with the revoked grant’s cookie replayed', async () => {
    const page = await signedIn('support@example.com');
    await page.goto(`${demo.appUrl}/customers/1337/impersonate`);
    await page.getByLabel('Why do you need to impersonate this customer?').fill('Ticket 99');
    await page.getByRole('button', { name: 'Request access' }).click();
    const request = await pendingFor('1337');
    await demo.approvalMessage(request.id);
    await demo.approver.requests.approve(request.id);
    await page.getByRole('heading', { name: 'You are impersonating Alan Turing' }).waitFor({ timeout: 60_000 });
    const cookie = (await grantCookie(page))!;
    await demo.approver.requests.revoke(request.id, { reason: 'done with the ticket' });
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
    await demo.approvalMessage(request.id);
    await demo.approver.requests.deny(request.id, { reason: 'Not during the change freeze' });
    await page.getByRole('heading', { name: 'Request denied' }).waitFor({ timeout: 30_000 });
    assert.match(await page.locator('.status').innerText(), /The decision: Not during the change freeze/);
    assert.equal(await page.getByRole('button', { name: 'Ask again' }).count(), 1);
    assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, 'a decided request stops reloading');
    await shot(page, 'denied');
  });

  it('continues the page once a channel member (not the requester) clicks Approve in Slack', async () => {
    const page = await signedIn('support@example.com');
    await page.getByRole('link', { name: 'Impersonate Grace Hopper' }).click();
    await page.getByLabel('Why do you need to impersonate this customer?').fill('Ticket 8: after the freeze');
    await page.getByRole('button', { name: 'Request access' }).click();
    assert.equal(await heading(page), 'Waiting for approval');
    const request = await pendingFor('7');
    const message = await demo.approvalMessage(request.id);

    const own = await demo.clickInSlack(SLACK_PEOPLE.support, 'sym_approve', request.id, message);
    assert.equal(own.status, 200);
    const refusal = await until('the refusal shown to the requester in Slack', async () => demo.slack.ephemerals.find((e) => e.user === SLACK_PEOPLE.support.id));
    assert.match(refusal.text, /may not approve|self/i);
    assert.equal((await demo.cp.admin.requests.get(request.id)).state, 'pending', 'the requester’s own click changed nothing');

    const lead = await demo.clickInSlack(SLACK_PEOPLE.lead, 'sym_approve', request.id, message);
    assert.equal(lead.status, 200);
    await page.getByRole('heading', { name: 'You are impersonating Grace Hopper' }).waitFor({ timeout: 60_000 });
    const approved = await demo.cp.admin.requests.get(request.id);
    assert.notEqual(approved.state, 'pending');
    await shot(page, 'approved-in-slack');
  });
});
