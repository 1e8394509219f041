/** `sym_log_destination`: where the audit log is streamed. */
import type { ResourceSpec } from '../model';
import { idAttribute, referenceAttribute, settingsAttribute, typeAttribute } from './common-attributes';

/** Log destination types accepted by `sym_log_destination.type`. */
export const logDestinationTypes = ['http', 'kinesis_firehose', 'kinesis_data_stream', 'segment', 'datadog'] as const;

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
    integration_id: referenceAttribute('integrations', 'optional', 'ID of the `sym_integration` used to reach the destination (e.g. a `permission_context` for Kinesis, `segment` for Segment).'),
    settings: settingsAttribute('Type-specific settings, for example `url` for `http` or `stream_name` for Kinesis.'),
  },
  example: `resource "sym_log_destination" "audit_webhook" {
  type = "http"

  settings = {
    url = "https://logs.example.com/opensym"
  }
}
`,
  importExamples: ['kinesis_firehose:my_stream_name', '00000000-0000-4000-8000-000000000000'],
};
