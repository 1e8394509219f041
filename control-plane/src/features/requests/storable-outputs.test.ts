// Output that PostgreSQL cannot store (U+0000 is refused in text and jsonb: 22P05/22021) from a
// strategy or a hook, on PGlite with the real store, job queue and a custom strategy calling the
// grant vendor double. Such output is stored with U+FFFD in place and a warning; it never fails a
// step after the fact, never re-grants, and never answers 500 after a committed change.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startVendorLifecycle, type VendorLifecycle } from './vendor-lifecycle-fixture';

const hooks = `import { events, slack } from "sym/sdk";
export function get_approvers(event) {
  return [slack.user("lead@example.com"), slack.user("odd\\u0000@example.com")];
}
export function after_approve(event) {
  throw new Error("notifier broke: \\u0000");
}
`;

describe('unstorable output (PGlite, custom strategy, vendor double)', () => {
  let f: VendorLifecycle;
  let requester: { id: string; token: string };
  let lead: { id: string; token: string };
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  before(async () => {
    f = await startVendorLifecycle();
    await f.flow('hooks-flow', hooks);
    requester = await f.person('dev@example.com');
    lead = await f.person('lead@example.com');
    await f.flow('deny-flow', 'import { events } from "sym/sdk";\nexport function on_request(event) { return events.approval.deny({ message: "no\\u0000way" }); }\n');
  });
  after(async () => f?.close());

  const requestAndApprove = async (flow = 'vendor-flow') => {
    const made = await f.t.request.post('/api/v1/events/request').set(as(requester.token)).send({ flow, flow_inputs: {} });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const approved = await f.t.request.post(`/api/v1/requests/${made.body.id}/approve`).set(as(lead.token)).send({});
    return { id: made.body.id as string, approved };
  };

  it('an escalate output with U+0000 is stored safely: one grant, active, and expiry is scheduled', async () => {
    f.vendor.fault = (action) => (action === 'escalate' ? 'nul_output' : undefined);
    const { id, approved } = await requestAndApprove();
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    await f.drain();
    const r = await f.get(id);
    assert.equal(r.state, 'active', JSON.stringify(r));
    const ledger = f.vendor.ledgers.get(id)!;
    assert.deepEqual([ledger.calls.escalate, ledger.grants], [1, 1], 'granted once, never re-granted');
    const escalated = r.events.find((e) => e.type === 'request.escalated')!;
    assert.deepEqual(escalated.data.output, { grant: `g\uFFFD${id}` });
    assert.ok(Array.isArray(escalated.data.warnings) && escalated.data.warnings.length === 1, JSON.stringify(escalated.data));
    const jobs = await f.t.cp.db.prisma.job.findMany({ where: { requestId: id, kind: 'deescalate' } });
    assert.equal(jobs.length, 1, 'the expiry deescalation is scheduled');
    const revoked = await f.t.request.post(`/api/v1/requests/${id}/revoke`).set(as(requester.token)).send({});
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.deepEqual([ledger.live, ledger.revocations], [false, 1]);
  });

  it('an approval whose after_approve error holds U+0000 commits and answers 200, with the failure recorded', async () => {
    f.vendor.fault = () => undefined;
    const { id, approved } = await requestAndApprove('hooks-flow');
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.state, 'approved');
    const events = (await f.get(id)).events;
    const created = events.find((e) => e.type === 'request.created')!;
    assert.match(JSON.stringify(created.data.notifications), /odd\uFFFD@example.com/, 'the get_approvers result is stored with U+FFFD');
    assert.ok(Array.isArray(created.data.warnings));
    const failed = events.find((e) => e.type === 'request.hook_failed')!;
    assert.equal(failed.data.hook, 'after_approve');
    assert.match(String(failed.data.error), /notifier broke: \uFFFD/);
  });

  it('a deny message from on_request with U+0000 is stored as the reason, not a 500', async () => {
    const made = await f.t.request.post('/api/v1/events/request').set(as(requester.token)).send({ flow: 'deny-flow', flow_inputs: {} });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.deepEqual([made.body.state, made.body.reason], ['denied', 'no\uFFFDway']);
  });
});
