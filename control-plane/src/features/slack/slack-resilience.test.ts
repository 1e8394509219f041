// Slack failing and the control plane crashing: 429 and 5xx answers are retried (by the client,
// then by the job) without posting any message twice, and an interaction acknowledged just before a
// crash is carried out after the restart (its job was committed before the ack). PGlite.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { waitFor } from '../../jobs/testing/wait-for';
import { startSlackApiDouble } from '../../integrations/slack/testing/slack-api-double';
import { startPagerDutyDouble } from '../../test-support/pagerduty-double';
import { PEOPLE, startSlackTestbed, type SlackTestbed } from './slack-testbed';

const routingImpl = readFileSync(new URL('../../../../examples/routing-rules/impl.js', import.meta.url), 'utf8');

async function routingFlow(bed: SlackTestbed) {
  await bed.create('entities/flows', {
    name: 'impersonate',
    implementation: routingImpl,
    environment_id: bed.environmentId,
    params: {
      strategy_id: bed.strategyId,
      prompt_field: [
        { name: 'customer_plan', type: 'string', required: true },
        { name: 'is_assigned', type: 'bool', required: true },
      ],
    },
  });
}

/** A pending request made through the API for the Slack requester (on-call managers approve). */
async function pendingRequest(bed: SlackTestbed): Promise<string> {
  const res = await bed.t.request
    .post('/api/v1/events/request')
    .set({ Authorization: `Bearer ${bed.t.admin}` })
    .send({ flow: 'impersonate', user_email: PEOPLE.requester.email, flow_inputs: { customer_plan: 'pro', is_assigned: false } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

describe('Slack answering 429 and 5xx', () => {
  let bed: SlackTestbed;
  after(() => bed?.close());

  it('retries (client, then job) and posts each message exactly once', async () => {
    bed = await startSlackTestbed();
    await bed.create('users', { email: PEOPLE.requester.email, role: 'member', identities: { slack: PEOPLE.requester.id } });
    await routingFlow(bed);
    // The first DM gets through; then a rate limit and more 5xx than the client retries (3 tries),
    // so the job fails once and runs again: the first DM must not be posted again.
    bed.slack.failNext('chat.postMessage', { status: 429, retryAfter: 0 }, 1, 1);
    bed.slack.failNext('chat.postMessage', { status: 503 }, 3);
    const id = await pendingRequest(bed);
    for (const user of [PEOPLE.mgr1.id, PEOPLE.mgr2.id, PEOPLE.requester.id]) await bed.dmMessage(user);
    const posts = bed.slack.calls.filter((c) => c.method === 'chat.postMessage');
    assert.deepEqual(
      posts.map((c) => c.outcome),
      ['ok', 'http_429', 'http_503', 'http_503', 'http_503', 'ok', 'ok'],
    );
    for (const user of [PEOPLE.mgr1.id, PEOPLE.mgr2.id, PEOPLE.requester.id]) assert.equal(bed.slack.messagesIn(bed.slack.dmOf(user)!).length, 1, user);
    const syncJob = await waitFor('the posting job to finish', async () => {
      const job = await bed.t.cp.db.prisma.job.findFirst({ where: { kind: 'slack_sync', requestId: id, dedupeKey: { not: null } } });
      return job?.state === 'done' ? job : null;
    });
    assert.equal(syncJob?.attempts, 2);
  });
});

describe('a crash between the ack and the work', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'opensym-slack-crash-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loses nothing: the acknowledged approve runs after the restart', async () => {
    const slack = await startSlackApiDouble();
    const pd = await startPagerDutyDouble({
      token: 'pd-token',
      users: [{ id: 'PMGR1', name: 'Mo', email: PEOPLE.mgr1.email }],
      oncalls: [{ userId: 'PMGR1', escalationPolicyId: 'EP1', scheduleId: 'id_of_mgr_on_call' }],
    });
    const location = { dataDir: path.join(dir, 'data') };
    // First life: no job runner, as if the process died right after answering Slack.
    const first = await startSlackTestbed({ location, startJobs: false, slack, pd });
    await first.create('users', { email: PEOPLE.requester.email, role: 'member', identities: { slack: PEOPLE.requester.id } });
    await routingFlow(first);
    const id = await pendingRequest(first);
    const click = await first.client.click(PEOPLE.mgr1, { action_id: 'sym_approve', value: id }, { channel: 'C0GENERAL', ts: '1.000001' });
    assert.equal(click.response.status, 200);
    assert.equal((await first.requestOf(id)).state, 'pending');
    assert.equal(await first.t.cp.db.prisma.job.count({ where: { kind: 'slack_decide', state: 'queued' } }), 1);
    await first.close();

    // Second life on the same database: the queued work runs.
    const second = await startSlackTestbed({ location, slack, pd, configure: false });
    try {
      // A new org's tokens come with the second life; the request belongs to the first org: read the rows.
      const prisma = second.t.cp.db.prisma;
      await waitFor('the request to be active', async () => (await prisma.accessRequest.findUnique({ where: { id } }))?.state === 'active');
      const approved = await prisma.auditEvent.findFirst({ where: { requestId: id, type: 'request.approved' } });
      assert.ok(approved?.actorUserId);
      assert.equal((await prisma.user.findUnique({ where: { id: approved.actorUserId } }))?.email, PEOPLE.mgr1.email);
      await waitFor('the approval DM to show the grant', () => {
        const dm = slack.dmOf(PEOPLE.mgr1.id);
        return dm && slack.messagesIn(dm).some((m) => m.text.includes('Access granted'));
      });
    } finally {
      await second.close();
      await slack.close();
      await pd.close();
    }
  });
});

describe('a request nobody decides', () => {
  let bed: SlackTestbed;
  after(() => bed?.close());

  it('expires, and its approval message says so without buttons', async () => {
    bed = await startSlackTestbed({ pendingTtlSeconds: 1 });
    await bed.create('users', { email: PEOPLE.requester.email, role: 'member', identities: { slack: PEOPLE.requester.id } });
    await routingFlow(bed);
    const id = await pendingRequest(bed);
    const dm = await bed.dmMessage(PEOPLE.mgr1.id);
    // Posted with buttons and updated at expiry, or (on a slow machine) posted after it: either way it ends like this.
    await bed.waitState(id, 'expired');
    await waitFor('the message to show the expiry', () => dm.text.includes('Expired: nobody decided in time'));
    assert.doesNotMatch(JSON.stringify(dm.blocks), /sym_approve|sym_deny/);
  });
});
