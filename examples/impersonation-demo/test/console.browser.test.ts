// The control plane's web console in a real browser (Debian chromium through playwright-core):
// support@ asks to impersonate a customer through the demo app; in the console support@ (the
// requester, no approver) sees no Approve button and a forged approve form is refused with the
// API's reason; lead@ signs in, finds the request by its filters and approves it; the demo page
// then continues to the protected content. Screenshots land in .tmp/browser-artifacts/
// (console-request-pending.png is docs/images/console-request.png in the README).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { collect } from '@opensym/api-client';
import type { Page } from 'playwright-core';
import { startDemo, type DemoFixture } from './demo-fixture';

describe('web console in chromium against a control plane on PGlite', { timeout: 10 * 60_000 }, () => {
  let demo: DemoFixture;
  before(async () => {
    demo = await startDemo({ now: () => Date.now() });
  });
  after(async () => {
    await demo?.close();
  });

  /** A fresh browser context signed in to the console with a new token of `email`'s user. */
  const consoleAs = async (email: string): Promise<Page> => {
    const [user] = await collect(demo.cp.admin.users.list({ email }));
    const { token } = await demo.cp.admin.tokens.issueForUser(user!.id, { name: `console ${email}` });
    const page = await (await demo.browser.newContext()).newPage();
    await page.goto(`${demo.cp.url}/console`);
    assert.equal(await page.locator('h1').innerText(), 'Sign in');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'token', 'focus starts in the token field');
    await page.getByLabel('API token').fill(token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Requests' }).waitFor();
    assert.match(await page.locator('nav').innerText(), new RegExp(`Signed in as ${email.replace('.', '\\.')}`));
    return page;
  };

  let requestId: string;
  let waiting: Page;

  it('a request made through the demo app is pending', async () => {
    waiting = await demo.signedIn('support@example.com');
    await waiting.getByRole('link', { name: 'Impersonate Ada Lovelace' }).click();
    await waiting.getByLabel('Why do you need to impersonate this customer?').fill('Ticket 5150: console approval');
    await waiting.getByRole('button', { name: 'Request access' }).click();
    await waiting.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
    requestId = (await demo.pendingFor('42')).id;
    // #impersonations is named in impl.js: its members are known once the approval message is there.
    await demo.approvalMessage(requestId);
  });

  it('shows the requester (no approver) no Approve button, and refuses a forged approve with the API’s reason', async () => {
    const page = await consoleAs('support@example.com');
    await page.getByRole('link', { name: 'impersonate' }).first().click();
    assert.equal(new URL(page.url()).pathname, `/console/requests/${requestId}`);
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Withdraw' }).count(), 1, 'the requester may withdraw');
    await demo.shot(page, 'console-requester-no-approve');
    // Forge the form the approver would see, with this session's own CSRF token (devtools, not page script: the CSP allows none).
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    await page.evaluate(
      ({ id, token }) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = `/console/requests/${id}/approve`;
        form.innerHTML = `<input type="hidden" name="_csrf" value="${token}"><button type="submit">Forged approve</button>`;
        document.querySelector('main')!.append(form);
      },
      { id: requestId, token: csrf },
    );
    const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Forged approve' }).click()]);
    assert.equal(response?.status(), 403);
    assert.match(await page.getByRole('alert').innerText(), /may not approve|self/i);
    assert.equal((await demo.cp.admin.requests.get(requestId)).state, 'pending', 'nothing changed');
    await demo.shot(page, 'console-forged-approve-refused');
  });

  it('lets the approver (a member of #impersonations) filter, open and approve the request; the timeline shows it and the demo page continues', async () => {
    const page = await consoleAs('lead@example.com');
    await page.getByLabel('State').selectOption('pending');
    await page.getByLabel('Flow').fill('impersonate');
    await page.getByRole('button', { name: 'Filter' }).click();
    assert.match(page.url(), /state=pending/);
    await demo.shot(page, 'console-requests');
    await page.locator(`a[href="/console/requests/${requestId}"]`).click();
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 1, 'a channel member sees Approve');
    await page.getByLabel('Message (optional)').first().fill('ok for ticket 5150');
    await demo.shot(page, 'console-request-pending');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('status').waitFor();
    assert.equal(await page.getByRole('status').innerText(), 'Request approved.');
    assert.match(await page.locator('#state').innerText(), /^(approved|escalating|active)$/);
    assert.match(await page.locator('.timeline').innerText(), /request\.approved .* by lead@example\.com: ok for ticket 5150/);
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
    await demo.shot(page, 'console-request-approved');
    const approved = await demo.cp.admin.requests.get(requestId);
    assert.notEqual(approved.state, 'pending');
    assert.equal(approved.reason, 'ok for ticket 5150');
    await waiting.getByRole('heading', { name: 'You are impersonating Ada Lovelace' }).waitFor({ timeout: 60_000 });
  });
});
