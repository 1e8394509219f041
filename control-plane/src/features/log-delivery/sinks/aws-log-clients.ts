/**
 * The one place Firehose and Kinesis clients are built for log destinations: one client per
 * region and credentials, signed with the credentials given (the environment's runtime role,
 * resolved by the sink factory) or else the control plane's default chain (or AWS_* variables).
 */
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { EntityRecord } from '../../../shared/entity-record';
import { awsClientConfig, type AwsCredentials, type Env } from '../../strategies/aws-client-config';

/** Builds (or reuses) the SDK client a destination sends through. */
export interface AwsLogClients {
  /** `credentials`: the runtime role's; undefined for the control plane's own. */
  firehose(destination: EntityRecord, region: string | null, credentials?: AwsCredentials): FirehoseClient;
  kinesis(destination: EntityRecord, region: string | null, credentials?: AwsCredentials): KinesisClient;
}

/** HTTP/1.1 with the same time limit as the HTTP destinations: a hung call counts as a failure and is retried. */
const handler = () => new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30_000 });

/** Clients from the process environment (`AWS_ENDPOINT_URL_FIREHOSE` / `_KINESIS` / `AWS_ENDPOINT_URL` point them elsewhere). */
export function createAwsLogClients(env: Env = process.env): AwsLogClients {
  const firehose = new Map<string, FirehoseClient>();
  const kinesis = new Map<string, KinesisClient>();
  return {
    firehose(_destination, region, credentials) {
      const key = clientKey(region, credentials);
      let client = firehose.get(key);
      if (!client) {
        // Refreshed session credentials are never used again: keep the map small.
        if (firehose.size > 100) firehose.clear();
        firehose.set(key, (client = new FirehoseClient({ ...awsClientConfig(env, 'FIREHOSE', region, credentials), requestHandler: handler() })));
      }
      return client;
    },
    kinesis(_destination, region, credentials) {
      const key = clientKey(region, credentials);
      let client = kinesis.get(key);
      if (!client) {
        if (kinesis.size > 100) kinesis.clear();
        // The Kinesis client defaults to HTTP/2 (for SubscribeToShard); PutRecords needs only HTTP/1.1,
        // which every endpoint speaks (an http:// endpoint cannot negotiate HTTP/2).
        kinesis.set(key, (client = new KinesisClient({ ...awsClientConfig(env, 'KINESIS', region, credentials), requestHandler: handler() })));
      }
      return client;
    },
  };
}

/** A client per region and credentials (the access key and session token tell credentials apart). */
const clientKey = (region: string | null, credentials: AwsCredentials | undefined) => JSON.stringify([region ?? '', credentials?.accessKeyId ?? null, credentials?.sessionToken ?? null]);
