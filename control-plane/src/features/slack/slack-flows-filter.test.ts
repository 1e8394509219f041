// Which flows /sym offers whom: Slack guests and Slack Connect users become OpenSym guests on
// first use and are offered only flows with allow_guest_interaction; the organization's
// sym_flows_filter `get_flows(user, flows, flow_vars)` decides the rest (JavaScript and Sym's
// Python form); a hidden flow cannot be requested with a crafted submission, and a failing filter
// offers nothing (Slack double, signed client, PGlite).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../jobs/testing/wait-for';
import { PEOPLE, startSlackTestbed, type SlackTestbed } from './slack-testbed';

const approvers = `import { slack } from 'sym/sdk';\nexport function get_approvers(event) { return [slack.channel('#ops')]; }\n`;

// Admin flows only for manager1; the prefix comes from the filter's vars.
const jsFilter = `export function get_flows(user, flows, vars) {
  return flows.filter((f) => !f.name.startsWith(vars.hidden_prefix) || user.email === 'manager1@example.com');
}
`;
// Sym's own documented form: attribute access on the user and the flows, the vars as a dict.
const pyFilter = `from sym.sdk.annotations import reducer


@reducer
def get_flows(user, flows, flow_vars):
    if user.email == "manager1@example.com":
        return flows
    return [flow for flow in flows if not flow.name.startswith(flow_vars["hidden_prefix"])]
`;

let bed: SlackTestbed;
let filterId = '';
const flowIds: Record<string, string> = {};
const admin = () => ({ Authorization: `Bearer ${bed.t.admin}` });

const GUEST = { id: 'UGUEST', name: 'gus', email: 'gus@contractor.example' };
const CONNECT = { id: 'UEXT', name: 'ext', email: 'ext@partner.example' };

/** The labels /sym offers `user` (a picker, or the one flow's modal), or the ephemeral answer when it opens none. */
async function offered(user: { id: string }): Promise<string[] | string> {
  const opened = bed.slack.views.length;
  const res = await bed.client.command(user, '');
  assert.equal(res.response.status, 200, JSON.stringify(res.response.body));
  if (res.response.body.text) return String(res.response.body.text);
  const view = await waitFor('the flow picker', () => bed.slack.views[opened]?.view);
  if (view.callback_id === 'sym_request') {
    const flow = JSON.parse(String(view.private_metadata)).flow as string;
    return Object.keys(flowIds).filter((name) => flowIds[name] === flow);
  }
  assert.equal(view.callback_id, 'sym_pick_flow');
  const options = (view.blocks as { element: { options: { text: { text: string } }[] } }[])[0]!.element.options;
  return options.map((o) => o.text.text).sort();
}

before(async () => {
  bed = await startSlackTestbed();
  bed.slack.addUser({ ...GUEST, guest: true });
  bed.slack.addUser({ ...CONNECT, teamId: 'T0PARTNER' });
  for (const name of ['alpha', 'gamma', 'admin-beta', 'guest-ok']) {
    const params = { strategy_id: bed.strategyId, ...(name === 'guest-ok' && { allow_guest_interaction: true }) };
    flowIds[name] = await bed.create('entities/flows', { name, implementation: approvers, environment_id: bed.environmentId, params });
  }
  filterId = await bed.create('entities/flows-filter', { implementation: jsFilter, vars: { hidden_prefix: 'admin' } });
});
after(() => bed?.close());

describe('Slack: guests', () => {
  it('creates a Slack guest and a Slack Connect user as OpenSym guests on first use, a workspace member as a member', async () => {
    assert.equal((await bed.client.command(GUEST, 'whoami')).response.body.text, `You are ${GUEST.email} (guest) in OpenSym.`);
    assert.equal((await bed.client.command(CONNECT, 'whoami')).response.body.text, `You are ${CONNECT.email} (guest) in OpenSym.`);
    assert.equal((await bed.client.command(PEOPLE.mgr2, 'whoami')).response.body.text, `You are ${PEOPLE.mgr2.email} (member) in OpenSym.`);
  });

  it('offers guests only the flows that allow them, and refuses the others', async () => {
    assert.deepEqual(await offered(GUEST), ['guest-ok']);
    assert.deepEqual(await offered(CONNECT), ['guest-ok']);
    const crafted = await bed.client.submit(GUEST, { callback_id: 'sym_request', private_metadata: JSON.stringify({ flow: flowIds.alpha }), values: {} });
    assert.equal(crafted.response.body.response_action, 'update');
  });
});

describe('Slack: the flows filter (get_flows)', () => {
  it('offers each user only the flows get_flows returns (JavaScript)', async () => {
    assert.deepEqual(await offered(PEOPLE.requester), ['alpha', 'gamma', 'guest-ok']);
    assert.deepEqual(await offered(PEOPLE.mgr1), ['admin-beta', 'alpha', 'gamma', 'guest-ok']);
  });

  it('refuses /sym req of a hidden flow', async () => {
    const res = await bed.client.command(PEOPLE.requester, 'req admin-beta');
    assert.match(String(res.response.body.text), /No flow "admin-beta" that you may request from Slack/);
  });

  it('refuses crafted submissions naming a hidden flow, creating nothing', async () => {
    const before = (await bed.latestRequest())?.id;
    const picked = await bed.client.submit(PEOPLE.requester, {
      callback_id: 'sym_pick_flow',
      private_metadata: '{}',
      values: { flow: { value: { type: 'static_select', selected_option: { value: flowIds['admin-beta'], text: { type: 'plain_text', text: 'x' } } } } },
    });
    assert.equal(picked.response.body.response_action, 'errors');
    assert.match(picked.response.body.errors.flow, /may not request this flow/);
    const crafted = await bed.client.submit(PEOPLE.requester, { callback_id: 'sym_request', private_metadata: JSON.stringify({ flow: flowIds['admin-beta'] }), values: {} });
    assert.equal(crafted.response.status, 200);
    assert.equal(crafted.response.body.response_action, 'update');
    assert.match(JSON.stringify(crafted.response.body.view), /may not request this flow/);
    // The same submission for a flow the user may use goes through.
    const allowed = await bed.client.submit(PEOPLE.requester, { callback_id: 'sym_request', private_metadata: JSON.stringify({ flow: flowIds.alpha }), values: {} });
    assert.equal(allowed.response.body.response_action, 'clear', JSON.stringify(allowed.response.body));
    const made = await waitFor('the allowed request', async () => {
      const latest = await bed.latestRequest();
      return latest && latest.id !== before ? latest : null;
    });
    const full = await bed.requestOf(made.id);
    assert.notEqual((full as unknown as { flow: { id: string } }).flow.id, flowIds['admin-beta']);
  });

  it("runs Sym's Python form get_flows(user, flows, flow_vars)", async () => {
    const res = await bed.t.request.patch(`/api/v1/entities/flows-filter/${filterId}`).set(admin()).send({ implementation: pyFilter });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(await offered(PEOPLE.requester), ['alpha', 'gamma', 'guest-ok']);
    assert.deepEqual(await offered(PEOPLE.mgr1), ['admin-beta', 'alpha', 'gamma', 'guest-ok']);
  });

  it('offers nothing when the filter fails', async () => {
    const res = await bed.t.request
      .patch(`/api/v1/entities/flows-filter/${filterId}`)
      .set(admin())
      .send({ implementation: 'export function get_flows(user, flows) { throw new Error("directory down"); }\n' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const answer = await offered(PEOPLE.mgr1);
    assert.equal(typeof answer, 'string');
    assert.match(String(answer), /flows filter failed/);
  });
});
