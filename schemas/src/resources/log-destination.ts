/** `sym_log_destination`: where the audit log is streamed. */
import type { CrossFieldRule, ResourceSpec } from '../model';
import { idAttribute, referenceAttribute, settingsAttribute, typeAttribute, typeSettingsRule } from './common-attributes';

/** Log destination types accepted by `sym_log_destination.type`. */
export const logDestinationTypes = ['http', 'kinesis_firehose', 'kinesis_data_stream', 'segment', 'datadog'] as const;

type LogDestinationType = (typeof logDestinationTypes)[number];

/** The settings each type needs; checked at plan time and by the API (422 at `/settings`). */
export const logDestinationRequiredSettings: Record<LogDestinationType, { keys: string[]; patterns?: Record<string, string>; explain: string }> = {
  // A host name or IPv4 address (no user info, no IPv6 literal), an optional port, then no spaces or
  // control characters: what every HTTP client parses the same way.
  http: {
    keys: ['url'],
    patterns: { url: '^https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?(?:[/?#][^\\s\\x00-\\x1f\\x7f]*)?$' },
    explain: '`url` (an http:// or https:// URL the events are POSTed to: a host name or IPv4 address, an optional port and path)',
  },
  kinesis_firehose: { keys: ['stream_name'], explain: '`stream_name` (the Firehose delivery stream)' },
  kinesis_data_stream: { keys: ['stream_name'], explain: '`stream_name` (the Kinesis data stream)' },
  segment: { keys: ['write_key_secret'], explain: '`write_key_secret` (the ID of the `sym_secret` holding the Segment write key)' },
  datadog: { keys: ['api_key_secret'], explain: '`api_key_secret` (the ID of the `sym_secret` holding the Datadog API key)' },
};

/** Types whose `integration_id` names the role their AWS calls use (a `permission_context`). */
export const logDestinationIntegrationTypes = ['kinesis_firehose', 'kinesis_data_stream'] as const;

const settingsRules: CrossFieldRule[] = logDestinationTypes.map((type) => {
  const { keys, patterns, explain } = logDestinationRequiredSettings[type];
  return typeSettingsRule(type, keys, `A log destination of type "${type}" needs settings ${explain}.`, undefined, patterns);
});

// For the other types an integration would mean nothing at run time (their credential is the
// secret in their settings; Sym's `segment` integration holding the write key is not built), so
// it is refused instead of ignored.
const noIntegrationTypes = logDestinationTypes.filter((t) => !(logDestinationIntegrationTypes as readonly string[]).includes(t));
const integrationRule: CrossFieldRule = {
  id: 'integration_only_for_aws',
  message: `Only log destinations of type ${logDestinationIntegrationTypes.map((t) => `"${t}"`).join(' or ')} take an integration_id (a \`permission_context\` whose role delivers). Types ${noIntegrationTypes.map((t) => `"${t}"`).join(', ')} authenticate with the secret in their settings: remove integration_id.`,
  path: ['integration_id'],
  check: { kind: 'unset_when', attribute: 'type', in: noIntegrationTypes, unset: 'integration_id' },
};

/** Spec of the `sym_log_destination` resource. */
export const logDestinationResource: ResourceSpec = {
  typeName: 'sym_log_destination',
  kind: 'log-destinations',
  description: 'A log destination receives every audit event (requests, approvals, grants, revocations) of the environments that list it.',
  version: 0,
  // No name: as in Sym, it imports as `type:slug`, the slug being the stream name (Kinesis) or
  // the URL (http).
  identity: { by: 'slug', slugFrom: ['settings.stream_name', 'settings.url'], typed: true },
  attributes: {
    id: idAttribute,
    type: typeAttribute(logDestinationTypes, 'Kind of destination.'),
    integration_id: referenceAttribute(
      'integrations',
      'optional',
      '`kinesis_firehose` and `kinesis_data_stream` only: ID of a `permission_context` `sym_integration` whose `role_arn` is assumed (with its `external_id`) to put the records, instead of the runtime role of the environments listing the destination. Refused for the other types.',
    ),
    settings: settingsAttribute(
      'Type-specific settings. `http`: `url` (required), `headers_secret` (a `sym_secret` ID whose value is a JSON object of extra request headers). `kinesis_firehose` and `kinesis_data_stream`: `stream_name` (required), `region`. `segment`: `write_key_secret` (required, a `sym_secret` ID), `api_url` (default `https://api.segment.io`). `datadog`: `api_key_secret` (required, a `sym_secret` ID), `site` (default `datadoghq.com`), `api_url` (overrides the intake URL derived from `site`).',
    ),
  },
  crossFieldRules: [...settingsRules, integrationRule],
  example: `resource "sym_log_destination" "audit_webhook" {
  type = "http"

  settings = {
    url = "https://logs.example.com/opensym"
  }
}
`,
  importExamples: ['kinesis_firehose:my_stream_name', '00000000-0000-4000-8000-000000000000'],
};
