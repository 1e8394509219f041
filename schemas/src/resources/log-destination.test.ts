// Plan-time checks of `sym_log_destination` settings: what the provider reports as an attribute
// diagnostic at `settings` (validateAgainstSpec), for each type's required settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unknownMarker, validateAgainstSpec } from '../validate-value';
import { logDestinationResource } from './log-destination';

const U = unknownMarker;
const config = (type: unknown, settings: unknown) => ({ id: null, type, integration_id: null, settings });

const cases: { name: string; type: unknown; settings: unknown; problem?: RegExp }[] = [
  { name: 'http with a url', type: 'http', settings: { url: 'https://logs.example.com/in' } },
  { name: 'http without settings', type: 'http', settings: null, problem: /type "http" needs settings `url`/ },
  { name: 'http with an empty url', type: 'http', settings: { url: '' }, problem: /"http"/ },
  { name: 'http with a url that is not http(s)', type: 'http', settings: { url: 'ftp://x' }, problem: /"http"/ },
  { name: 'http with headers but no url', type: 'http', settings: { headers_secret: 'abc' }, problem: /"http"/ },
  { name: 'firehose with a stream', type: 'kinesis_firehose', settings: { stream_name: 'audit' } },
  { name: 'firehose without a stream', type: 'kinesis_firehose', settings: { region: 'us-east-1' }, problem: /"kinesis_firehose" needs settings `stream_name`/ },
  { name: 'kinesis without a stream', type: 'kinesis_data_stream', settings: {}, problem: /"kinesis_data_stream"/ },
  { name: 'kinesis with a stream', type: 'kinesis_data_stream', settings: { stream_name: 's' } },
  { name: 'segment without a write key', type: 'segment', settings: { api_url: 'http://x' }, problem: /`write_key_secret`/ },
  { name: 'segment with a write key', type: 'segment', settings: { write_key_secret: 'id' } },
  { name: 'datadog without an api key', type: 'datadog', settings: { site: 'datadoghq.eu' }, problem: /`api_key_secret`/ },
  { name: 'datadog with an api key', type: 'datadog', settings: { api_key_secret: 'id' } },
  { name: 'unknown settings wait for apply', type: 'http', settings: U },
  { name: 'an unknown url waits for apply', type: 'http', settings: { url: U } },
  { name: 'an unknown type waits for apply', type: U, settings: {} },
];

for (const c of cases) {
  test(`log destination settings: ${c.name}`, () => {
    const problems = validateAgainstSpec(logDestinationResource, config(c.type, c.settings));
    if (!c.problem) return assert.deepEqual(problems, []);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.deepEqual(problems[0]!.path, ['settings']);
    assert.match(problems[0]!.message, c.problem);
  });
}

// integration_id: a permission_context for the Kinesis types; refused (at `integration_id`) for the
// others, where it would mean nothing at run time. A reference not known until apply counts as set.
const integrationCases: { type: unknown; integration_id: unknown; refused: boolean }[] = [
  { type: 'kinesis_firehose', integration_id: 'i-1', refused: false },
  { type: 'kinesis_data_stream', integration_id: U, refused: false },
  { type: 'segment', integration_id: 'i-1', refused: true },
  { type: 'segment', integration_id: U, refused: true },
  { type: 'datadog', integration_id: 'i-1', refused: true },
  { type: 'http', integration_id: 'i-1', refused: true },
  { type: 'http', integration_id: '', refused: false },
  { type: 'segment', integration_id: null, refused: false },
  { type: U, integration_id: 'i-1', refused: false },
];
const validSettings: Record<string, Record<string, string>> = {
  kinesis_firehose: { stream_name: 's' },
  kinesis_data_stream: { stream_name: 's' },
  segment: { write_key_secret: 'id' },
  datadog: { api_key_secret: 'id' },
  http: { url: 'https://logs.example.com/in' },
};

for (const c of integrationCases) {
  test(`log destination integration_id: ${String(c.type === U ? 'unknown type' : c.type)} with ${c.integration_id === U ? 'an unknown' : JSON.stringify(c.integration_id)} integration_id is ${c.refused ? 'refused' : 'accepted'}`, () => {
    const settings = typeof c.type === 'string' ? validSettings[c.type] : {};
    const problems = validateAgainstSpec(logDestinationResource, { id: null, type: c.type, integration_id: c.integration_id, settings });
    if (!c.refused) return assert.deepEqual(problems, []);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.deepEqual(problems[0]!.path, ['integration_id']);
    assert.match(problems[0]!.message, /Only log destinations of type "kinesis_firehose" or "kinesis_data_stream" take an integration_id/);
  });
}
