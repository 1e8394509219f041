// The sandbox-backed hook runner: PagerDuty's environment lookup happens only when a hook calls it.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createSandbox, type PagerDutyHost, type SymEvent } from '../../sandbox';
import { createSandboxHookRunner } from './hook-runner';

const event: SymEvent = { type: 'request', user: { id: 'u1', email: 'dev@example.com' }, payload: { fields: {} }, flow: { id: 'f1', name: 'f', environment_id: 'env-1' } };
const source = `import { events, pagerduty } from "sym/sdk";
export function on_request(event) { return events.approval.approve(); }
export function get_approvers(event) { return pagerduty.on_call({ schedule: "S1" }).map((u) => u.email); }
export function on_approve(event) { try { pagerduty.on_call({ schedule: "S1" }); return "reached"; } catch (e) { return [e.code, e.message]; } }
`;

function counting(host: PagerDutyHost | undefined) {
  const lookups: [string, string | null][] = [];
  const runner = createSandboxHookRunner({
    sandbox,
    pagerduty: async (orgId, environmentId) => {
      lookups.push([orgId, environmentId]);
      return host;
    },
  });
  return { runner, lookups };
}

const sandbox = createSandbox({ maxWorkers: 1 });
after(() => sandbox.close());

describe('hook runner: PagerDuty door', () => {
  it('does not look up the environment for a hook that never calls PagerDuty', async () => {
    const { runner, lookups } = counting({ onCall: () => [], isOnCall: () => false });
    assert.deepEqual(await runner.run(source, 'on_request', event, 'org-1'), { exported: true, value: { type: 'approval.approve' } });
    assert.deepEqual(lookups, []);
  });

  it("looks up the flow's environment once when a hook calls PagerDuty", async () => {
    const { runner, lookups } = counting({ onCall: () => [{ id: 'm1', email: 'mgr@example.com' }], isOnCall: () => false });
    assert.deepEqual(await runner.run(source, 'get_approvers', event, 'org-1'), { exported: true, value: ['mgr@example.com'] });
    assert.deepEqual(lookups, [['org-1', 'env-1']]);
  });

  it('answers host_denied when the environment has no PagerDuty integration', async () => {
    const { runner } = counting(undefined);
    assert.deepEqual(await runner.run(source, 'on_approve', event, 'org-1'), { exported: true, value: ['host_denied', 'PagerDuty is not configured for this flow'] });
  });
});

describe('hook runner: absent hooks', () => {
  const runner = createSandboxHookRunner({ sandbox });

  it('treats a hook the module does not export as absent', async () => {
    assert.deepEqual(await runner.run('export function on_approve() {}\n// on_request', 'on_request', event, 'org-1'), { exported: false });
  });

  it("reports a hook's own error even when its text reads like a missing export (matched by code, not message)", async () => {
    const throwing = "export function on_request() { throw new TypeError('the module does not export a function named on_request'); }";
    await assert.rejects(runner.run(throwing, 'on_request', event, 'org-1'), (err: Error & { code?: string }) => err.code === 'runtime');
  });
});

describe('hook runner: directory doors (okta, google, github)', () => {
  it("hands the flow's environment to the directory lookup and the helpers' calls to its doors", async () => {
    const asked: string[] = [];
    const runner = createSandboxHookRunner({
      sandbox,
      directory: (orgId, environmentId) => ({
        okta: {
          isUserInGroup: async (user, groupId) => {
            asked.push(`${orgId}/${environmentId}: ${String(user.email)} in ${groupId}`);
            return true;
          },
          usersInGroup: async () => [],
        },
      }),
    });
    const oktaSource = `import { okta } from "sym/sdk";\nexport function on_request(event) { return okta.is_user_in_group(event.user, { group_id: "00g1" }); }\n`;
    assert.deepEqual(await runner.run(oktaSource, 'on_request', event, 'org-1'), { exported: true, value: true });
    assert.deepEqual(asked, ['org-1/env-1: dev@example.com in 00g1']);
  });
});
