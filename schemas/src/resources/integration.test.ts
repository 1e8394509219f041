// Plan-time checks of `sym_integration` settings for `slack`: what the provider reports as an
// attribute diagnostic at `settings` (validateAgainstSpec).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unknownMarker, validateAgainstSpec } from '../validate-value';
import { integrationResource } from './integration';

const U = unknownMarker;
const config = (type: unknown, settings: unknown) => ({ id: null, type, name: 'n', external_id: 'T1', label: null, settings });
const both = { bot_token_secret: 'b', signing_secret_secret: 's' };

const cases: { name: string; type: unknown; settings: unknown; problem?: boolean }[] = [
  { name: 'slack with both secrets (HTTP)', type: 'slack', settings: both },
  { name: 'slack with an app token too (Socket Mode)', type: 'slack', settings: { ...both, app_token_secret: 'a' } },
  { name: 'slack without settings', type: 'slack', settings: null, problem: true },
  { name: 'slack without a signing secret', type: 'slack', settings: { bot_token_secret: 'b', app_token_secret: 'a' }, problem: true },
  { name: 'slack with an empty bot token', type: 'slack', settings: { ...both, bot_token_secret: '' }, problem: true },
  { name: 'another type needs none of them', type: 'pagerduty', settings: null },
  { name: 'unknown settings wait for apply', type: 'slack', settings: U },
  { name: 'an unknown secret id waits for apply', type: 'slack', settings: { bot_token_secret: U, signing_secret_secret: 's' } },
];

for (const c of cases) {
  test(`slack integration settings: ${c.name}`, () => {
    const problems = validateAgainstSpec(integrationResource, config(c.type, c.settings));
    if (!c.problem) return assert.deepEqual(problems, []);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.deepEqual(problems[0]!.path, ['settings']);
    assert.match(problems[0]!.message, /`bot_token_secret` and `signing_secret_secret`/);
  });
}
