// Plan-time checks of `sym_integration` settings for `slack`: none. A Sym config names no token
// secrets (Sym hosts the app), and whether that works depends on the control plane (its own Slack
// app, SYM_SLACK_BOT_TOKEN / SYM_SLACK_SIGNING_SECRET): the API judges it at apply (422 at
// `/settings`, control-plane/src/features/slack/slack-settings.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unknownMarker, validateAgainstSpec } from '../validate-value';
import { integrationResource } from './integration';

const U = unknownMarker;
const config = (type: unknown, settings: unknown) => ({ id: null, type, name: 'n', external_id: 'T1', label: null, settings });
const both = { bot_token_secret: 'b', signing_secret_secret: 's' };

const cases: { name: string; type: unknown; settings: unknown }[] = [
  { name: 'slack with both secrets (HTTP)', type: 'slack', settings: both },
  { name: 'slack with an app token too (Socket Mode)', type: 'slack', settings: { ...both, app_token_secret: 'a' } },
  { name: "slack without settings (Sym's own config: the operator's app)", type: 'slack', settings: null },
  { name: 'slack with an empty settings map', type: 'slack', settings: {} },
  { name: 'another type needs none of them', type: 'pagerduty', settings: null },
  { name: 'unknown settings wait for apply', type: 'slack', settings: U },
  { name: 'an unknown secret id waits for apply', type: 'slack', settings: { bot_token_secret: U, signing_secret_secret: 's' } },
];

for (const c of cases) {
  test(`slack integration settings at plan time: ${c.name}`, () => {
    assert.deepEqual(validateAgainstSpec(integrationResource, config(c.type, c.settings)), []);
  });
}
