// A request nobody decides: the control plane (SYM_PENDING_TTL=2s) expires it, the waiting page
// (meta refresh, no reload by the test) says so and offers to ask again, and asking again sends
// a new request. Chromium through playwright-core, control plane process on PGlite.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { until } from './browser-support';
import { startDemo, type DemoFixture } from './demo-fixture';

describe('impersonation demo: a pending request expires and the page asks again', { timeout: 5 * 60_000 }, () => {
  let demo: DemoFixture;
  before(async () => {
    demo = await startDemo({ env: { SYM_PENDING_TTL: '2s' }, now: Date.now });
  });
  after(async () => {
    await demo?.close();
  });

  it('shows "Request expired" with a form, and asking again makes a new pending request', async () => {
    const page = await demo.signedIn('support@example.com');
    await page.getByRole('link', { name: 'Impersonate Ada Lovelace' }).click();
    await page.getByLabel('Why do you need to impersonate this customer?').fill('Ticket 1');
    await page.getByRole('button', { name: 'Request access' }).click();
    // The 2 s TTL may already have run out on a busy machine; either page is right here.
    assert.match(await page.locator('h1').innerText(), /^(Waiting for approval|Request expired)$/);
    const [first] = await until('the request', async () => (await demo.requestsFor('42')).slice(0, 1));
    await page.getByRole('heading', { name: 'Request expired' }).waitFor({ timeout: 60_000 });
    assert.equal((await demo.cp.admin.requests.get(first.id)).state, 'expired');
    await demo.shot(page, 'pending-expired');
    await page.getByLabel('Why do you need to impersonate this customer?').fill('Ticket 1, again');
    await page.getByRole('button', { name: 'Ask again' }).click();
    assert.match(await page.locator('h1').innerText(), /^(Waiting for approval|Request expired)$/);
    const second = await until('a second request', async () => (await demo.requestsFor('42')).find((r) => r.id !== first.id));
    assert.equal((second.fields as Record<string, unknown>).reason, 'Ticket 1, again');
  });
});
