// examples/okta and examples/github (Sym's Okta and GitHub access strategy examples) are valid at
// plan time: every sym_* block passes the schema checks the provider runs (types supported; map
// literals such as `settings` are not parsed by the outline reader, their rules are tested in
// schemas), their hooks pass the sandbox's plan-time check, and their environment names the Slack
// integration where the hooks' approval channel lives.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { checkHclBlocks, parseHclOutline } from '@opensym/schemas';
import { createSandbox } from '../../sandbox';

const sandbox = createSandbox({ maxWorkers: 1 });
after(() => sandbox.close());
const read = (example: string, file: string) => readFileSync(new URL(`../../../../examples/${example}/${file}`, import.meta.url), 'utf8');

for (const [example, strategyType, targetTypes] of [
  ['okta', 'okta', ['okta_group']],
  ['github', 'github', ['github_repo', 'github_team']],
] as const) {
  test(`examples/${example}: every block is valid at plan time and the strategy is of type ${strategyType}`, async () => {
    const root = parseHclOutline(read(example, 'main.tf'));
    assert.deepEqual(checkHclBlocks(root.blocks), []);
    const text = read(example, 'main.tf');
    assert.match(text, new RegExp(`resource "sym_strategy" "\\w+" \\{\\n  type += "${strategyType}"`));
    for (const type of targetTypes) assert.match(text, new RegExp(`type  = "${type}"`));
    // The hook sends approvals to a Slack channel: the example brings the Slack workspace (and its
    // secrets) that channel lives in, so applied alone someone can approve.
    assert.match(read(example, 'impl.js'), /slack\.channel\('#sym-requests'/);
    assert.match(text, /resource "sym_integration" "slack" \{\n {2}type += "slack"/);
    assert.match(text, /bot_token_secret += sym_secret\.slack_bot_token\.id/);
    assert.match(text, /signing_secret_secret += sym_secret\.slack_signing_secret\.id/);
    assert.match(text, /resource "sym_environment" "this" \{[^}]*integrations = \{\n {4}slack_id = sym_integration\.slack\.id/);
    assert.deepEqual(await sandbox.check(read(example, 'impl.js'), { kind: 'flow', filename: 'impl.js' }), []);
  });
}
