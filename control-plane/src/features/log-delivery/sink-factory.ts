/**
 * Turns a `log-destinations` entity into the sink its type names, reading the secrets its
 * settings point at (`headers_secret`, `write_key_secret`, `api_key_secret`). Configuration
 * problems are DeliveryErrors: recorded as the destination's last error and retried with
 * backoff, so fixing the configuration lets the backlog through.
 */
import { type AwsCredentialResolver, type EntityReader, type SecretLocation, type SecretReader, secretSourceCredentials } from '../strategies';
import { settingsOf } from '../strategies/integration-loader';
import type { EntityRecord } from '../../shared/entity-record';
import { type DestinationAwsScope, destinationSessionName } from './destination-aws-scope';
import type { AwsLogClients } from './sinks/aws-log-clients';
import { createDatadogSink, datadogIntakeUrl } from './sinks/datadog-sink';
import { createFirehoseSink } from './sinks/firehose-sink';
import { createHttpSink } from './sinks/http-sink';
import type { Fetch } from './sinks/http-post';
import { createKinesisSink } from './sinks/kinesis-sink';
import { DeliveryError, type LogSink } from './sinks/log-sink';
import { createSegmentSink, SEGMENT_API_URL } from './sinks/segment-sink';

/** Builds the sink of a destination (each attempt builds it afresh, so secret and setting changes apply). */
export type SinkFactory = (orgId: string, destination: EntityRecord) => Promise<LogSink>;

/** What the factory reads through. */
export interface SinkFactoryDeps {
  entities: EntityReader;
  secrets: SecretReader;
  aws: AwsLogClients;
  /** The destination's permission context, else the environments' runtime role (issue 11 §2): signs the Firehose and Kinesis calls; the runtime role signs Secrets Manager reads. */
  credentials: AwsCredentialResolver;
  /** Which environment's runtime role a destination's AWS calls use (`destination-aws-scope.ts`). */
  scopeOf: DestinationAwsScope;
  fetch?: Fetch;
}

/** The factory over every type of `logDestinationTypes`. */
export function createSinkFactory({ entities, secrets, aws, credentials, scopeOf, fetch: fetchFn = fetch }: SinkFactoryDeps): SinkFactory {
  const secretValue = async (orgId: string, destination: EntityRecord, setting: string, secretId: string): Promise<string> => {
    const secret = await entities.findById(orgId, 'secrets', secretId);
    if (!secret) throw new DeliveryError(`log destination ${destination.id}: settings.${setting} names secret ${secretId}, which does not exist`);
    const sourceId = secret.data.source_id;
    const source = typeof sourceId === 'string' ? await entities.findById(orgId, 'secret-sources', sourceId) : null;
    if (!source) throw new DeliveryError(`secret ${secretId}: its secret source does not exist`);
    const location: SecretLocation = {
      id: secret.id,
      path: String(secret.data.path),
      jsonKey: settingsOf(secret).json_key ?? null,
      source: { id: source.id, type: String(source.type ?? source.data.type), settings: settingsOf(source) },
    };
    try {
      // Secrets Manager is read as the runtime role (and the source's permission context on top), like a strategy's secrets.
      const awsCredentials = location.source.type === 'aws_secrets_manager' ? await secretSourceCredentials(credentials, entities, await scopeOf(orgId, destination), location.source) : undefined;
      return await secrets.read(location, awsCredentials);
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      // The reader's messages name the secret, never its value.
      throw new DeliveryError(`log destination ${destination.id}: reading settings.${setting}: ${(error as Error).message}`);
    }
  };
  /**
   * The credentials of a Kinesis destination's calls (undefined: the control plane's own): the
   * `permission_context` its `integration_id` names, assumed from the control plane's credentials
   * (as Sym assumes the context a log destination names); without one, the runtime role of the
   * environments listing it. The destination's own role takes precedence: its owner chose it for
   * every event it carries, so the environments' runtime roles need not agree.
   */
  const awsCredentials = async (orgId: string, destination: EntityRecord) => {
    try {
      const context = await permissionContextOf(orgId, destination);
      if (context) return (await credentials.forIntegration({ orgId, environmentId: null, sessionName: destinationSessionName(destination.id) }, context)).credentials;
      return (await credentials.runtime(await scopeOf(orgId, destination))).credentials;
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw new DeliveryError(`log destination ${destination.id}: ${(error as Error).message}`);
    }
  };
  /** The destination's `integration_id`: a permission_context with a role, or null when unset. */
  const permissionContextOf = async (orgId: string, destination: EntityRecord): Promise<EntityRecord | null> => {
    const integrationId = destination.data.integration_id;
    if (typeof integrationId !== 'string' || !integrationId) return null;
    const label = `log destination ${destination.name ?? destination.id}`;
    const integration = await entities.findById(orgId, 'integrations', integrationId);
    if (!integration) throw new DeliveryError(`${label}: its integration_id ${integrationId} does not exist`);
    const name = integration.name ?? integration.id;
    if (integration.type !== 'permission_context') throw new DeliveryError(`${label}: its integration_id must name a permission_context integration, not ${String(integration.type)} (${name})`);
    if (!settingsOf(integration).role_arn) throw new DeliveryError(`${label}: its permission_context ${name} has no settings.role_arn to assume`);
    return integration;
  };
  /** Stored before the plan-time rule refused it: an integration these types cannot use is an error, not ignored. */
  const refuseIntegration = (destination: EntityRecord) => {
    const integrationId = destination.data.integration_id;
    if (typeof integrationId === 'string' && integrationId) {
      throw new DeliveryError(
        `log destination ${destination.name ?? destination.id} (${String(destination.type)}): integration_id is only used by kinesis_firehose and kinesis_data_stream; remove it`,
      );
    }
  };
  const required = (destination: EntityRecord, settings: Record<string, string | null>, key: string): string => {
    const value = settings[key];
    if (!value) throw new DeliveryError(`log destination ${destination.id} (${destination.type}): settings.${key} is not set`);
    return value;
  };

  return async (orgId, destination) => {
    const settings = settingsOf(destination);
    if (destination.type === 'http' || destination.type === 'segment' || destination.type === 'datadog') refuseIntegration(destination);
    switch (destination.type) {
      case 'http': {
        const url = required(destination, settings, 'url');
        let headers: Record<string, string> = {};
        if (settings.headers_secret) headers = parseHeaders(destination, await secretValue(orgId, destination, 'headers_secret', settings.headers_secret));
        return createHttpSink({ url, headers, fetch: fetchFn });
      }
      case 'segment':
        return createSegmentSink({
          writeKey: await secretValue(orgId, destination, 'write_key_secret', required(destination, settings, 'write_key_secret')),
          apiUrl: settings.api_url || SEGMENT_API_URL,
          fetch: fetchFn,
        });
      case 'datadog':
        return createDatadogSink({
          apiKey: await secretValue(orgId, destination, 'api_key_secret', required(destination, settings, 'api_key_secret')),
          apiUrl: settings.api_url || datadogIntakeUrl(settings.site || 'datadoghq.com'),
          fetch: fetchFn,
        });
      case 'kinesis_firehose': {
        const streamName = required(destination, settings, 'stream_name');
        return createFirehoseSink({ client: aws.firehose(destination, settings.region ?? null, await awsCredentials(orgId, destination)), streamName });
      }
      case 'kinesis_data_stream': {
        const streamName = required(destination, settings, 'stream_name');
        return createKinesisSink({ client: aws.kinesis(destination, settings.region ?? null, await awsCredentials(orgId, destination)), streamName });
      }
      default:
        throw new DeliveryError(`log destination ${destination.id}: type ${String(destination.type)} cannot deliver`);
    }
  };
}

/** `headers_secret` holds a JSON object of header names to string values. */
function parseHeaders(destination: EntityRecord, raw: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    // Say what is wrong without echoing the secret.
    throw new DeliveryError(`log destination ${destination.id}: the value of settings.headers_secret must be a JSON object of header names to strings`);
  }
  return value as Record<string, string>;
}
