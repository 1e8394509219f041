/**
 * The one place Firehose and Kinesis clients are built for log destinations. Today: the default
 * credential chain (or the AWS_* variables) of the control plane, one client per region; when
 * environments get a runtime role, swap this function for one that assumes it.
 */
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { EntityRecord } from '../../../shared/entity-record';
import { awsClientConfig, type Env } from '../../strategies/aws-client-config';

/** Builds (or reuses) the SDK client a destination sends through. */
export interface AwsLogClients {
  firehose(destination: EntityRecord, region: string | null): FirehoseClient;
  kinesis(destination: EntityRecord, region: string | null): KinesisClient;
}

/** HTTP/1.1 with the same time limit as the HTTP destinations: a hung call counts as a failure and is retried. */
const handler = () => new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30_000 });

/** Clients from the process environment (`AWS_ENDPOINT_URL_FIREHOSE` / `_KINESIS` / `AWS_ENDPOINT_URL` point them elsewhere). */
export function createAwsLogClients(env: Env = process.env): AwsLogClients {
  const firehose = new Map<string, FirehoseClient>();
  const kinesis = new Map<string, KinesisClient>();
  return {
    firehose(_destination, region) {
      const key = region ?? '';
      let client = firehose.get(key);
      if (!client) firehose.set(key, (client = new FirehoseClient({ ...awsClientConfig(env, 'FIREHOSE', region), requestHandler: handler() })));
      return client;
    },
    kinesis(_destination, region) {
      const key = region ?? '';
      let client = kinesis.get(key);
      // The Kinesis client defaults to HTTP/2 (for SubscribeToShard); PutRecords needs only HTTP/1.1,
      // which every endpoint speaks (an http:// endpoint cannot negotiate HTTP/2).
      if (!client) kinesis.set(key, (client = new KinesisClient({ ...awsClientConfig(env, 'KINESIS', region), requestHandler: handler() })));
      return client;
    },
  };
}
