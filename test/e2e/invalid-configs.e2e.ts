/**
 * Invalid configurations fail with one diagnostic that points at the offending attribute, under
 * every CLI: two caught before any API call (validate), two only the control plane can catch
 * (apply: its 422/409 must come back as attribute diagnostics), one the provider catches at plan
 * by reading the referenced target (a strategy's target that does not suit it), three broken implementations
 * (validate: syntax error, forbidden import, unknown hook), a Python syntax error (plan: the
 * control plane's CPython parses it), and a misconfigured provider (bad
 * token, unreachable control plane; the wrong-org case is in sym-compat.e2e.ts).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertAttributeError as assertError, ControlPlane, linesOf, progress, setupSuite, Workspace, type CliBinary } from '../src/index';
import { fixturesDir } from '../src/paths';

const { clis, mirror } = await setupSuite();
const noInput = ['-input=false', '-no-color'];

let controlPlane: ControlPlane | undefined;
before(async () => {
  controlPlane = await ControlPlane.start({ label: 'invalid-configs' });
});
after(async () => {
  await controlPlane?.stop();
});

/** Asserts one attribute diagnostic and logs it, so a run's log shows what the user would see. */
function assertAttributeError(stderr: string, expected: Parameters<typeof assertError>[1]): void {
  const error = assertError(stderr, expected);
  progress(`    diagnostic: "${error.summary}" with ${error.resource ?? '?'} on ${error.file} line ${error.line}`);
}

/** A fixture copied into a temp dir and initialised; `provider` overrides what the provider is given. */
async function initFixture(cli: CliBinary, fixture: string, provider: { apiUrl?: string; token?: string; org?: string } = {}): Promise<Workspace> {
  const ws = Workspace.fromDirectory(cli, path.join(fixturesDir, fixture), {
    mirror,
    apiUrl: controlPlane!.url,
    token: controlPlane!.token,
    org: controlPlane!.org,
    ...provider,
  });
  await ws.ok(['init', ...noInput]);
  return ws;
}

/** Destroys whatever part of a failed apply was created, and checks the API is empty again. */
async function cleanUp(ws: Workspace): Promise<void> {
  await ws.ok(['destroy', ...noInput, '-auto-approve']);
  assert.deepEqual(await controlPlane!.api.leftovers(), {}, 'the API still lists entities after destroy');
}

/** After a failed assertion: best-effort destroy so later tests on this control plane start empty. */
async function discard(ws: Workspace): Promise<void> {
  if (ws.hasState()) await ws.run(['destroy', ...noInput, '-auto-approve']);
  ws.dispose();
}

for (const cli of clis) {
  describe(`invalid configs · ${cli.name}`, { timeout: 10 * 60_000 }, () => {
    test('an unknown prompt_field type fails validate at that type', async () => {
      const ws = await initFixture(cli, 'unknown-prompt-field-type');
      try {
        const result = await ws.fails(['validate', '-no-color']);
        assertAttributeError(result.stderr, { file: 'main.tf', lines: linesOf(ws.read('main.tf'), 'type = "colour"'), attribute: 'type' });
      } finally {
        ws.dispose();
      }
    });

    test('a missing required attribute fails validate naming it', async () => {
      const ws = await initFixture(cli, 'missing-required-attribute');
      try {
        const result = await ws.fails(['validate', '-no-color']);
        // Core reports a missing argument at the block that lacks it.
        assertAttributeError(result.stderr, {
          file: 'main.tf',
          lines: linesOf(ws.read('main.tf'), 'resource "sym_integration" "slack"'),
          attribute: 'external_id',
        });
      } finally {
        ws.dispose();
      }
    });

    test('a reference to a missing object fails apply at the referring attribute', async () => {
      const ws = await initFixture(cli, 'missing-reference');
      try {
        const result = await ws.fails(['apply', ...noInput, '-auto-approve']);
        assertAttributeError(result.stderr, { file: 'main.tf', lines: linesOf(ws.read('main.tf'), 'environment_id ='), attribute: 'environment_id' });
        await cleanUp(ws);
      } finally {
        await discard(ws);
      }
    });

    test('a strategy whose known target does not suit it fails plan at targets, in the API 422 words, before any write', async () => {
      const ws = await initFixture(cli, 'unsuitable-strategy-target');
      try {
        await ws.ok(['apply', ...noInput, '-auto-approve', '-target=sym_target.app']);
        const result = await ws.fails(['plan', ...noInput]);
        const error = assertError(result.stderr, { file: 'main.tf', lines: linesOf(ws.read('main.tf'), 'targets = ['), attribute: 'targets' });
        assert.match(error.text.replace(/\s+/g, ' '), /target app does not suit this strategy: aws_sso strategies grant aws_sso_permission_set or aws_sso_group targets, not custom/);
        progress(`    diagnostic: "${error.summary}" on ${error.file} line ${error.line}`);
        assert.deepEqual(await controlPlane!.api.list('access-strategies'), [], 'plan wrote no strategy');
        // destroy plans the configuration first (its pre-destroy refresh), so it fails on the same
        // error until the configuration is fixed; here the strategy goes.
        const text = ws.read('main.tf');
        ws.write('main.tf', text.slice(0, text.indexOf('# aws_sso strategies grant')));
        await cleanUp(ws);
      } finally {
        await discard(ws);
      }
    });

    for (const fixture of ['duplicate-name', 'duplicate-name-case']) {
      test(`a duplicate name fails the second create at name (${fixture})`, async () => {
        const ws = await initFixture(cli, fixture);
        try {
          const result = await ws.fails(['apply', ...noInput, '-auto-approve']);
          const text = ws.read('main.tf');
          // Both creates run in parallel, so either resource may be the second one.
          const nameLines = text.split('\n').flatMap((line, i) => (/^\s*name\s*=/.test(line) ? [i + 1] : []));
          assertAttributeError(result.stderr, { file: 'main.tf', lines: nameLines, attribute: 'name' });
          const kind = fixture === 'duplicate-name' ? 'environments' : 'access-targets';
          assert.equal((await controlPlane!.api.list(kind)).length, 1, 'exactly one of the two should exist');
          await cleanUp(ws);
        } finally {
          await discard(ws);
        }
      });
    }

    // validate needs no API: the provider parses the module and applies the sandbox's rules.
    const implementationCases = [
      { fixture: 'broken-implementation', problem: 'a syntax error', line: 5, says: /SyntaxError/ },
      { fixture: 'forbidden-import', problem: 'an import outside the SDK', line: 2, says: /module "node:fs" is not available/ },
      { fixture: 'unknown-hook', problem: 'an unknown hook name', line: 3, says: /unknown hook "on_requets"/ },
    ];
    for (const { fixture, problem, line, says } of implementationCases) {
      test(`an implementation with ${problem} fails validate at the implementation attribute, naming the line`, async () => {
        const ws = await initFixture(cli, fixture);
        try {
          const result = await ws.fails(['validate', '-no-color']);
          const error = assertError(result.stderr, { file: 'main.tf', lines: linesOf(ws.read('main.tf'), 'implementation = <<-EOT'), attribute: 'implementation' });
          // The CLI wraps long details; compare on one line.
          const text = error.text.replace(/\s+/g, ' ');
          assert.match(text, new RegExp(`line ${line}: `), `the diagnostic should name line ${line} of the module:\n${error.text}`);
          assert.match(text, says, `the diagnostic should say what is wrong:\n${error.text}`);
          progress(`    diagnostic: "${error.summary}" on ${error.file} line ${error.line}: ${says.source}`);
          assert.equal(ws.hasState(), false, 'validate must not create anything');
        } finally {
          ws.dispose();
        }
      });
    }

    // The provider has no Python parser: validate's light scan passes this module, and plan asks
    // the control plane's CPython (`POST /api/v1/implementation-checks`), which names the line.
    test('a Python implementation with a syntax error fails plan at the implementation attribute, naming the line', async () => {
      const ws = await initFixture(cli, 'python-syntax-error');
      try {
        await ws.ok(['validate', '-no-color']);
        const result = await ws.fails(['plan', ...noInput]);
        const error = assertError(result.stderr, { file: 'main.tf', lines: linesOf(ws.read('main.tf'), 'implementation = <<-EOT'), attribute: 'implementation' });
        const text = error.text.replace(/\s+/g, ' ');
        assert.match(text, /line 5: SyntaxError: expected ':'/, `the diagnostic should name line 5 and the syntax error:\n${error.text}`);
        progress(`    diagnostic: "${error.summary}" on ${error.file} line ${error.line}: SyntaxError`);
        assert.equal(ws.hasState(), false, 'plan must not create anything');
      } finally {
        ws.dispose();
      }
    });

    // A wrong org fails only with the token in the provider block (a SYM_JWT token is not compared,
    // as in Sym): sym-compat.e2e.ts covers both.
    const providerCases = [
      { name: 'a rejected token', override: { token: 'not-a-token' }, mentions: /SYM_JWT/ },
      { name: 'an unreachable control plane', override: { apiUrl: 'http://127.0.0.1:9' }, mentions: /SYM_API_URL/ },
    ];
    for (const { name, override, mentions } of providerCases) {
      test(`${name} fails plan with one provider diagnostic`, async () => {
        const ws = await initFixture(cli, 'provider-config', override);
        try {
          const result = await ws.fails(['plan', ...noInput]);
          const error = assertError(result.stderr, { file: 'main.tf', lines: linesOf(ws.read('main.tf'), 'provider "sym"'), attribute: 'sym' });
          assert.match(error.text, mentions, `the diagnostic should say which setting to fix:\n${error.text}`);
          progress(`    diagnostic: "${error.summary}"`);
        } finally {
          ws.dispose();
        }
      });
    }
  });
}
