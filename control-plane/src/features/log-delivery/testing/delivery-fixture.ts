/** Test set-up through the API: a log destination, an environment listing it, a flow that approves, a user to request. */
import assert from 'node:assert/strict';
import type { TestControlPlane } from '../../../test-support/test-control-plane';

/** A flow whose requests are approved at once: each request writes `request.created` and `request.approved`. */
const APPROVE = 'import { events } from "sym/sdk";\nexport function on_request(event) {\n  return events.approval.approve();\n}\n';

/** What `setUpDelivery` made. */
export interface DeliverySetUp {
  destinationId: string;
  /** The environment listing the destination. */
  environmentId: string;
  flowName: string;
  /** Bearer token of the requesting user. */
  userToken: string;
  /** Makes one request; returns its id. */
  request(reason: string): Promise<string>;
  /** The destination's delivery state (`GET .../delivery`). */
  state(): Promise<Record<string, unknown>>;
}

/** Creates the entities for `destination` (a log-destinations create body) under unique names `n`. */
export async function setUpDelivery(t: TestControlPlane, n: string, destination: Record<string, unknown>): Promise<DeliverySetUp> {
  const admin = { Authorization: `Bearer ${t.admin}` };
  const post = async (path: string, body: object) => {
    const res = await t.request.post(`/api/v1${path}`).set(admin).send(body);
    assert.ok(res.status === 201, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const dest = await post('/entities/log-destinations', destination);
  const env = await post('/entities/environments', { name: `env-${n}`, log_destination_ids: [dest.id] });
  const flowName = `flow-${n}`;
  await post('/entities/flows', { name: flowName, implementation: APPROVE, environment_id: env.id, params: { prompt_field: [{ name: 'reason', type: 'string' }] } });
  const user = await post('/users', { email: `${n}@example.com`, role: 'member' });
  const issued = await post(`/users/${user.id}/tokens`, {});
  const as = { Authorization: `Bearer ${issued.token}` };
  return {
    destinationId: dest.id,
    environmentId: env.id,
    flowName,
    userToken: issued.token,
    async request(reason) {
      const res = await t.request.post('/api/v1/events/request').set(as).send({ flow: flowName, flow_inputs: { reason } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id;
    },
    async state() {
      const res = await t.request.get(`/api/v1/entities/log-destinations/${dest.id}/delivery`).set(admin);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    },
  };
}
