/**
 * Every native strategy type end to end through `tofu`: one apply of
 * `fixtures/native-strategies` (aws_iam, aws_sso with a permission-set and a group target, okta,
 * github with a repository and a team target, google, google_group, onelogin, tailscale, aptible,
 * each with a working credential and one the vendor refuses; for the AWS types moto's IAM
 * authorization is off, so the fault proxy answers the granting call with AccessDenied)
 * together with examples/okta and examples/github unchanged (as modules), against one control plane
 * on PGlite whose vendor endpoints (`SYM_<VENDOR>_API_URL`, `AWS_ENDPOINT_URL`) are the control
 * plane's vendor doubles and moto behind the AWS fault proxy (`src/native-vendors.ts`). Per type:
 * approval grants in the vendor and expiry takes it back (the expiry's removing call is held until
 * the test has seen the grant still live, so nothing races a timer); a 429 and a 5xx on the
 * granting and on the removing call are retried to `active` and `done`; a refused credential
 * (AccessDenied / 403) ends the request `failed` with its message as `last_error`. The examples' requests are approved by a member of
 * their `#sym-requests` in the Slack workspace double. One CLI only, like request-flow.
 */
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectStatus } from '../src/api-call';
import type { AccessRequest } from '@opensym/schemas';
import { ControlPlane, progress, setupSuite, Workspace, type CliBinary } from '../src/index';
import { startNativeVendors, requesterEmail, type NativeCase, type NativeVendors } from '../src/native-vendors';
import { examplesDir, fixturesDir } from '../src/paths';
import { startSlackWorkspace, type SlackPerson, type SlackWorkspace } from '../src/slack-workspace';

const { clis, mirror } = await setupSuite();
const noInput = ['-input=false', '-no-color'];
const cli: CliBinary | undefined = clis.find((c) => c.flavor === 'tofu') ?? clis[0];
const fixtureDir = path.join(fixturesDir, 'native-strategies');

type RequestView = AccessRequest;

/** Polls a request until it reaches one of `states` (each poll checks; no fixed sleep decides anything). */
async function waitForState(cp: ControlPlane, id: string, states: string[], timeoutMs = 60_000): Promise<RequestView> {
  const deadline = Date.now() + timeoutMs;
  let last: RequestView | undefined;
  while (Date.now() < deadline) {
    last = (await expectStatus(cp, 200, cp.token, 'GET', `/api/v1/requests/${id}`)) as RequestView;
    if (states.includes(last.state)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`request ${id} did not reach ${states.join('/')} within ${timeoutMs} ms; last: ${JSON.stringify(last)}\n${cp.logTail(3000)}`);
}

/** Resolves when `promise` does; fails with `what` if it has not after `timeoutMs` (a guard, not an assertion on time). */
async function within<T>(promise: Promise<T>, what: string, timeoutMs = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs)));
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}

/** The errors of the request's failed attempts, in order. */
const attemptErrors = (request: RequestView) => (request.events ?? []).map((e) => e.data.error).filter((e): e is string => typeof e === 'string');

/** The last three answers to a step with a rate limit then a 5xx injected: limited, failed, then a success. */
function assertLimitedFailedOk(answers: number[], what: string): void {
  const [limited, failed, ok] = answers.slice(-3);
  assert.ok(
    answers.length >= 3 && (limited === 429 || limited === 400) && failed! >= 500 && ok! >= 200 && ok! < 300,
    `${what}: expected a rate limit, a 5xx, then success; got ${JSON.stringify(answers)}`,
  );
}

describe(`native strategies · ${cli?.name ?? 'no CLI'} · pglite · vendor doubles + moto`, { skip: cli === undefined ? 'no CLI selected' : false, timeout: 15 * 60_000 }, () => {
  let vendors: NativeVendors;
  let slack: SlackWorkspace;
  let cp: ControlPlane;
  let ws: Workspace | undefined;
  let requester: { id: string; token: string };
  let approver: { id: string; token: string };
  const people: Record<'dev' | 'approver', SlackPerson> = {
    dev: { id: 'U0E2EDEV001', email: requesterEmail },
    approver: { id: 'U0E2EAPPR01', email: 'approver@example.com' },
  };

  const request = async (flow: string, target: string, duration: string | number) =>
    (await expectStatus(cp, 201, requester.token, 'POST', '/api/v1/events/request', { flow, flow_inputs: { reason: 'e2e', duration, target } })).id as string;
  const approve = (id: string) => expectStatus(cp, 200, approver.token, 'POST', `/api/v1/requests/${id}/approve`, {});
  const revoke = (id: string) => expectStatus(cp, 200, requester.token, 'POST', `/api/v1/requests/${id}/revoke`, { reason: 'done' });

  before(async () => {
    vendors = await startNativeVendors();
    slack = await startSlackWorkspace(Object.values(people), { 'sym-requests': [people.approver.email] });
    cp = await ControlPlane.start({ label: 'native-strategies', env: { ...vendors.env, ...slack.env } });
    ws = Workspace.fromDirectory(cli!, fixtureDir, { mirror, apiUrl: cp.url, token: cp.token, org: cp.org });
    ws.write('e2e.auto.tfvars', vendors.tfvars);
    // The examples as they are, applied in the same run as modules of the fixture.
    for (const example of ['okta', 'github']) cpSync(path.join(examplesDir, example), path.join(ws.dir, example), { recursive: true });
    ws.write('examples.tf', 'module "okta_example" {\n  source = "./okta"\n}\n\nmodule "github_example" {\n  source = "./github"\n}\n');
    await ws.ok(['init', ...noInput]);
  });

  after(async () => {
    ws?.dispose();
    await cp?.stop();
    await Promise.all([vendors?.close(), slack?.close()]);
  });

  test('apply: every native strategy, its flows and the two examples in one run', async () => {
    // Default parallelism: the flows' hooks are checked together in the sandbox, whose CPU limit
    // counts guest CPU only (control-plane/src/sandbox/DECISIONS.md §2), so load cannot trip it.
    await ws!.ok(['apply', ...noInput, '-auto-approve']);
    const person = async (who: SlackPerson) => {
      const user = await expectStatus(cp, 201, cp.token, 'POST', '/api/v1/users', { email: who.email, role: 'member', identities: { slack: who.id } });
      return { id: user.id as string, token: (await expectStatus(cp, 201, cp.token, 'POST', `/api/v1/users/${user.id}/tokens`, {})).token as string };
    };
    requester = await person(people.dev);
    approver = await person(people.approver);
    const types = new Set<string>((await cp.api.list('access-strategies')).map((s) => s.type));
    for (const type of ['aws_iam', 'aws_sso', 'okta', 'github', 'google', 'google_group', 'onelogin', 'tailscale', 'aptible'])
      assert.ok(types.has(type), `a ${type} strategy was applied: ${[...types].join(', ')}`);
  });

  const cases = (): NativeCase[] => vendors.cases;
  // The table exists once the doubles run (in `before`); tests are declared now, by name.
  // Cases of different vendors run at the same time (the CI budget); those sharing a vendor's
  // grant (one GitHub organization, one Google group) run one after the other.
  const groups: string[][] = [
    ['aws_iam (aws_iam_group)'],
    ['aws_sso (aws_sso_permission_set)'],
    ['aws_sso (aws_sso_group)'],
    ['okta (okta_group)'],
    ['github (github_repo)', 'github (github_team)'],
    ['google (google_group target)', 'google_group'],
    ['onelogin (onelogin_role)'],
    ['tailscale (tailscale_group)'],
    ['aptible (aptible_role)'],
  ];
  describe('each native strategy type (vendors side by side)', { concurrency: true }, () => {
    for (const group of groups) {
      // One at a time within a vendor (node:test would otherwise inherit the concurrency).
      describe(group.join(' · '), { concurrency: 1 }, () => {
        for (const name of group) caseTests(name);
      });
    }
  });

  function caseTests(name: string): void {
    const at = (): NativeCase => {
      const c = cases().find((k) => k.name === name);
      assert.ok(c, `no case ${name}`);
      return c;
    };
    test(`${name}: approval grants in the vendor; expiry takes it back`, async () => {
      const c = at();
      const held = c.hold('deescalate');
      const id = await request(c.flow, c.target, 2);
      await approve(id);
      await waitForState(cp, id, ['active']);
      assert.equal(await c.granted(), true, 'granted in the vendor once active');
      // The expiry's removing call reaches the vendor and waits there: the grant is still live.
      await within(held.arrived, `${name}: the deescalate call at expiry`);
      assert.equal(await c.granted(), true, 'still granted while the removing call is in flight');
      held.release();
      const done = await waitForState(cp, id, ['done']);
      assert.ok(
        (done.events ?? []).some((e) => e.type === 'request.expired'),
        JSON.stringify((done.events ?? []).map((e) => e.type)),
      );
      assert.equal(await c.granted(), false, 'gone from the vendor after expiry');
    });

    test(`${name}: a 429 and a 5xx during escalate and during deescalate are retried`, async () => {
      const c = at();
      c.throttleThenFail('escalate');
      const id = await request(c.flow, c.target, '1h');
      await approve(id);
      const active = await waitForState(cp, id, ['active']);
      assert.equal(await c.granted(), true);
      assertLimitedFailedOk(c.answers('escalate'), 'escalate');
      assert.equal(attemptErrors(active).length, 2, JSON.stringify(attemptErrors(active)));

      c.throttleThenFail('deescalate');
      await revoke(id);
      const done = await waitForState(cp, id, ['done']);
      assert.equal(await c.granted(), false);
      assertLimitedFailedOk(c.answers('deescalate'), 'deescalate');
      assert.equal(attemptErrors(done).length, 4, JSON.stringify(attemptErrors(done)));
    });

    test(`${name}: a credential the vendor refuses (AccessDenied / 403) is shown on the request`, async () => {
      const c = at();
      c.denyNext?.();
      const id = await request(c.deniedFlow ?? c.flow, c.target, '1h');
      await approve(id);
      const ended = await waitForState(cp, id, ['failed', 'done']);
      const failure = (ended.events ?? []).find((e) => e.type === 'request.escalation_failed');
      assert.match(String(failure?.data.error), c.denied, JSON.stringify(ended.events ?? []));
      assert.equal(failure?.data.retryable, false);
      // Every type (aws_iam and aws_sso too) grants with one call, so a refused one ends `failed` with the
      // message as last_error: nothing was granted, nothing is taken back.
      assert.equal(ended.state, 'failed', JSON.stringify((ended.events ?? []).map((e) => e.type)));
      assert.match(String(ended.last_error), c.denied);
      assert.equal(await c.granted(), false);
      progress(`    ${name}: ${ended.state}: ${String(failure?.data.error).slice(0, 160)}`);
    });
  }

  test('examples/okta: a member of #sym-requests approves; the requester joins the Okta group until revoked', async () => {
    const id = await request('okta', 'okta-admin-access', '30m');
    await slack.approvalPosted('#sym-requests', id, people.dev);
    await approve(id);
    await waitForState(cp, id, ['active']);
    assert.deepEqual(vendors.okta.members('00g12345xxx'), ['00u1dev']);
    await revoke(id);
    await waitForState(cp, id, ['done']);
    assert.deepEqual(vendors.okta.members('00g12345xxx'), []);
  });

  test("examples/github: a member of #sym-requests approves; the requester is a collaborator with the target's permission until revoked", async () => {
    const id = await request('github', 'github-private-repo-access', '1h');
    await slack.approvalPosted('#sym-requests', id, people.dev);
    await approve(id);
    await waitForState(cp, id, ['active']);
    assert.deepEqual(vendors.github.collaborators('sym-test', 'private-repo'), { 'dev-octocat': 'push' });
    await revoke(id);
    await waitForState(cp, id, ['done']);
    assert.deepEqual(vendors.github.collaborators('sym-test', 'private-repo'), {});
  });
});
