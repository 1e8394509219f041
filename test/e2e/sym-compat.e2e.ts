/**
 * Sym's rules, not stricter (issue 10), with real `tofu` and `terraform`: a configuration written
 * as Sym's acceptance tests write theirs (`fixtures/sym-compat`) applies and plans no drift;
 * replacing the environment's integration in one apply succeeds (Terraform deletes the old one
 * before it updates the environment); error loggers and log destinations import by Sym's slugs;
 * the state, rewritten as Sym's provider leaves it (lowercase names from Sym's API, Sym's
 * provider address), is taken over with no change planned; a SYM_JWT token is not compared with
 * `org`, a token in the provider block is; a bare "impl.py" is refused at validate; a version pin
 * beyond 3.0 finds no release, as the migration guide says. Its `slack` integrations name only the
 * workspace, as Sym's do: the control plane runs with its operator's Slack app pointed at the Slack
 * double, and a request on the flow posts its approval message there with that app's token.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertAttributeError, ControlPlane, linesOf, progress, replaceOnce, setupSuite, Workspace, type CliBinary } from '../src/index';
import { fixturesDir } from '../src/paths';
import { exampleSlackTeamId, startSlackWorkspace, type SlackPerson, type SlackWorkspace } from '../src/slack-workspace';

const { clis, mirror } = await setupSuite();
const noInput = ['-input=false', '-no-color'];
const symAddress = 'registry.terraform.io/symopsio/sym';
const openSymAddress = 'opensym.dev/opensym/sym';

// The flow's impl.js asks #sym-requests for approval: the lead is its only member.
const slackPeople: Record<'developer' | 'lead', SlackPerson> = {
  developer: { id: 'U0COMPDEV1', email: 'compat-dev@example.com' },
  lead: { id: 'U0COMPLEAD', email: 'compat-lead@example.com' },
};

let controlPlane: ControlPlane | undefined;
let slack: SlackWorkspace | undefined;
let developerToken = '';
before(async () => {
  slack = await startSlackWorkspace(Object.values(slackPeople), { 'sym-requests': [slackPeople.lead.email] });
  controlPlane = await ControlPlane.start({
    label: 'sym-compat',
    // The operator's own Slack app, used by the fixture's token-less `slack` integrations.
    env: { SYM_SLACK_API_URL: slack.env.SYM_SLACK_API_URL!, SYM_SLACK_BOT_TOKEN: slack.env.SYM_SECRET_SLACK_BOT_TOKEN!, SYM_SLACK_SIGNING_SECRET: slack.signingSecret },
  });
  for (const [who, person] of Object.entries(slackPeople)) {
    const user = (await call(controlPlane.token, 'POST', '/api/v1/users', { email: person.email, role: 'member', identities: { slack: person.id } }, 201)) as { id: string };
    const issued = (await call(controlPlane.token, 'POST', `/api/v1/users/${user.id}/tokens`, {}, 201)) as { token: string };
    if (who === 'developer') developerToken = issued.token;
  }
});
after(async () => {
  await controlPlane?.stop();
  await slack?.close();
});

/** One API call; the status must be `expected` (the message carries the body). */
async function call(token: string, method: string, route: string, body: unknown, expected: number): Promise<unknown> {
  const response = await fetch(`${controlPlane!.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  assert.equal(response.status, expected, `${method} ${route} → ${response.status}: ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

function workspace(cli: CliBinary, fixture: string, provider: { org?: string } = {}): Workspace {
  return Workspace.fromDirectory(cli, path.join(fixturesDir, fixture), { mirror, apiUrl: controlPlane!.url, token: controlPlane!.token, org: provider.org ?? controlPlane!.org });
}

/** The Sym-style fixture with names made unique per CLI. */
function compatFixture(cli: CliBinary): Workspace {
  const ws = workspace(cli, 'sym-compat');
  // The workspace id Sym's tests give is a placeholder; the Slack double serves the examples' team.
  ws.write('main.tf', ws.read('main.tf').replaceAll('SUFFIX', cli.name).replaceAll('"T12345"', `"${exampleSlackTeamId}"`));
  return ws;
}

async function assertNoChanges(ws: Workspace, why: string): Promise<void> {
  const result = await ws.run(['plan', ...noInput, '-detailed-exitcode']);
  assert.equal(result.code, 0, `${why}: expected no changes (exit 0), got exit ${result.code}:\n${result.stdout}\n${result.stderr}`);
}

type StateFile = { resources: { type: string; name: string; provider: string; instances: { attributes: Record<string, unknown> }[] }[] };
const readState = (ws: Workspace): StateFile => JSON.parse(readFileSync(path.join(ws.dir, 'terraform.tfstate'), 'utf8')) as StateFile;
const attributesOf = (ws: Workspace, type: string, name: string) => readState(ws).resources.find((r) => r.type === type && r.name === name)!.instances[0]!.attributes;

for (const cli of clis) {
  describe(`Sym compatibility · ${cli.name}`, { timeout: 15 * 60_000 }, () => {
    test("a configuration in Sym's style applies, replaces an integration, imports by Sym's slugs and is taken over from Sym's state", async () => {
      const ws = compatFixture(cli);
      const lower = `compat-${cli.name}`.toLowerCase();
      try {
        // `~> 3.0` finds the provider; `org = "e2e-testing"` is not compared with a SYM_JWT token.
        await ws.ok(['init', ...noInput]);
        await ws.ok(['apply', ...noInput, '-auto-approve']);
        await assertNoChanges(ws, 'mixed-case names, "file(\'...\')" text and two secrets on one path');
        const api = controlPlane!.api;
        const env = await api.get('environments', String(attributesOf(ws, 'sym_environment', 'this').id));
        assert.equal(env.name, `${lower}-sandbox`, 'the API keeps names lowercased, as Sym');
        assert.equal(attributesOf(ws, 'sym_environment', 'this').name, `Compat-${cli.name}-Sandbox`, 'state keeps the configured spelling');
        const flow = await api.get('flows', String(attributesOf(ws, 'sym_flow', 'this').id));
        assert.equal(flow.implementation, ws.read('impl.js'), "\"file('impl.js')\" is sent as the file's source");
        assert.equal(attributesOf(ws, 'sym_flow', 'this').implementation, "file('impl.js')");
        const secrets = (await api.list('secrets')).filter((s) => s.path === 'SYM_SECRET_COMPAT_OKTA');
        assert.ok(secrets.length >= 2, 'two secrets on one path with different json_key');
        const slackIntegration = await api.get('integrations', String(attributesOf(ws, 'sym_integration', 'slack').id));
        assert.deepEqual(slackIntegration.settings ?? {}, {}, 'the slack integration names no token secrets, as Sym writes it');

        // The token-less integration works: a request's approval message reaches #sym-requests
        // through the Slack double, which accepts only the operator's bot token.
        const made = (await call(developerToken, 'POST', '/api/v1/events/request', { flow: `${lower}-flow`, flow_inputs: { reason: 'sym-compat' } }, 201)) as { id: string };
        await slack!.approvalPosted('#sym-requests', made.id, slackPeople.developer);
        await call(controlPlane!.token, 'POST', `/api/v1/requests/${made.id}/deny`, { reason: 'compat check done', user_email: slackPeople.lead.email }, 200);

        // TestAccSymEnvironment_basic: the environment moves to a new Slack integration and the
        // old one goes, in one apply. Terraform deletes the old integration first.
        const oldSlack = String(attributesOf(ws, 'sym_integration', 'slack').id);
        let main = ws.read('main.tf');
        main = replaceOnce(main, 'resource "sym_integration" "slack" {', 'resource "sym_integration" "new_slack" {');
        main = replaceOnce(main, `name        = "Compat-${cli.name}-Slack"`, `name        = "Compat-${cli.name}-New-Slack"`);
        main = replaceOnce(main, 'slack_id = sym_integration.slack.id', 'slack_id = sym_integration.new_slack.id');
        ws.write('main.tf', main);
        const replaced = await ws.ok(['apply', ...noInput, '-auto-approve']);
        progress(`    ${/Apply complete![^\n]*/.exec(replaced.stdout)?.[0] ?? ''}`);
        await assert.rejects(api.get('integrations', oldSlack), 'the old integration is gone');
        assert.deepEqual((await api.get('environments', env.id)).integrations, { slack_id: attributesOf(ws, 'sym_integration', 'new_slack').id });
        await assertNoChanges(ws, 'after replacing the integration');

        // Import by Sym's slugs: the error logger by its destination, the log destination by type:slug.
        await ws.ok(['state', 'rm', 'sym_error_logger.slack_logger', 'sym_log_destination.http']);
        await ws.ok(['import', ...noInput, 'sym_error_logger.slack_logger', `${lower}-errors`]);
        await ws.ok(['import', ...noInput, 'sym_log_destination.http', `http:https://logs.example.com/${lower}`]);
        await assertNoChanges(ws, 'after importing by slug');

        // The same state as Sym's provider leaves it: names as Sym's API returns them (lowercase),
        // under Sym's provider address. Taken over as the migration guide says, it plans nothing.
        const sym = readState(ws);
        for (const r of sym.resources) {
          r.provider = `provider["${symAddress}"]`;
          for (const i of r.instances) if (typeof i.attributes.name === 'string') i.attributes.name = i.attributes.name.toLowerCase();
        }
        writeFileSync(path.join(ws.dir, 'terraform.tfstate'), `${JSON.stringify(sym, null, 2)}\n`);
        await ws.ok(['state', 'replace-provider', '-auto-approve', symAddress, openSymAddress]);
        await ws.ok(['init', ...noInput]);
        await assertNoChanges(ws, "Sym's lowercase names against the mixed-case configuration");
        await ws.ok(['apply', ...noInput, '-auto-approve']);
        assert.equal(attributesOf(ws, 'sym_flow', 'this').name, `${lower}-flow`, "an empty apply keeps Sym's spelling");
      } finally {
        if (ws.hasState()) await ws.run(['destroy', ...noInput, '-auto-approve']);
        ws.dispose();
      }
    });

    test('org: a SYM_JWT token is not compared with it, a token in the provider block is', async () => {
      const ws = workspace(cli, 'provider-config', { org: 'someone-else' });
      try {
        await ws.ok(['init', ...noInput]);
        await ws.ok(['plan', ...noInput]);
        ws.write('main.tf', ws.read('main.tf').replace('provider "sym" {}', `provider "sym" {\n  token = "${controlPlane!.token}"\n  org   = "someone-else"\n}`));
        const result = await ws.fails(['plan', ...noInput]);
        const error = assertAttributeError(result.stderr, { file: 'main.tf', lines: linesOf(ws.read('main.tf'), 'org'), attribute: 'org' });
        assert.match(error.summary, /Organization mismatch/);
      } finally {
        ws.dispose();
      }
    });

    test('a bare "impl.py" fails validate at the attribute, telling to use file("impl.py"); a pin beyond 3.0 finds no release', async () => {
      const ws = compatFixture(cli);
      try {
        ws.write('impl.py', 'from sym.sdk.annotations import reducer\n');
        ws.write('main.tf', replaceOnce(ws.read('main.tf'), `implementation = "file('impl.js')"`, 'implementation = "impl.py"'));
        await ws.ok(['init', ...noInput]);
        const result = await ws.fails(['validate', '-no-color']);
        const error = assertAttributeError(result.stderr, { file: 'main.tf', lines: linesOf(ws.read('main.tf'), 'implementation = "impl.py"'), attribute: 'implementation' });
        assert.match(error.text.replace(/\s+/g, ' '), /Use file\("impl\.py"\)/);

        ws.write('main.tf', replaceOnce(ws.read('main.tf'), 'version = "~> 3.0"', 'version = "~> 3.6"'));
        ws.remove('.terraform.lock.hcl');
        const pinned = await ws.fails(['init', ...noInput, '-upgrade']);
        assert.match(pinned.stderr.replace(/\s+/g, ' '), /no available releases match|does not match|no suitable version/i);
      } finally {
        ws.dispose();
      }
    });
  });
}
