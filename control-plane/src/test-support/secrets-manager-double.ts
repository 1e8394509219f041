// Test double of AWS Secrets Manager's GetSecretValue (JSON 1.1 protocol: `POST /` with
// `X-Amz-Target: secretsmanager.GetSecretValue`), for the same SDK client production uses.
import { randomUUID } from 'node:crypto';
import { type AwsRequest, sendJson, startAwsDoubleServer } from './aws-double-server';

/** One call the double received. */
export interface SecretsManagerCall {
  target: string;
  body: Record<string, unknown>;
}

/** A running double; `put` stores a secret by name. */
export interface SecretsManagerDouble {
  url: string;
  calls: SecretsManagerCall[];
  put(name: string, value: string | { binary: Uint8Array }): void;
  close(): Promise<void>;
}

const ACCOUNT = '123456789012';

/** Starts the double on a random loopback port. */
export async function startSecretsManagerDouble(region = 'us-east-1'): Promise<SecretsManagerDouble> {
  const secrets = new Map<string, { arn: string; versionId: string; value: string | { binary: Uint8Array }; created: number }>();
  const calls: SecretsManagerCall[] = [];
  const error = (res: Parameters<typeof sendJson>[0], status: number, type: string, message: string) =>
    sendJson(res, status, { __type: type, Message: message }, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });

  const server = await startAwsDoubleServer(
    (req: AwsRequest, res) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return error(res, 400, 'SerializationException', 'body is not JSON');
      }
      calls.push({ target, body });
      if (req.method !== 'POST' || req.path !== '/') return error(res, 404, 'UnknownOperationException', 'unknown path');
      if (target !== 'secretsmanager.GetSecretValue') return error(res, 400, 'UnknownOperationException', `operation ${target} is not supported by this double`);
      const id = String(body.SecretId ?? '');
      const secret = secrets.get(id) ?? [...secrets.values()].find((s) => s.arn === id);
      if (!secret) return error(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      const name = [...secrets.entries()].find(([, s]) => s === secret)![0];
      sendJson(
        res,
        200,
        {
          ARN: secret.arn,
          Name: name,
          VersionId: secret.versionId,
          ...(typeof secret.value === 'string' ? { SecretString: secret.value } : { SecretBinary: Buffer.from(secret.value.binary).toString('base64') }),
          VersionStages: ['AWSCURRENT'],
          CreatedDate: secret.created,
        },
        { 'content-type': 'application/x-amz-json-1.1' },
      );
    },
    (res) => error(res, 400, 'MissingAuthenticationTokenException', 'Missing Authentication Token'),
  );

  return {
    url: server.url,
    calls,
    put(name, value) {
      const suffix = Math.random().toString(36).slice(2, 8);
      secrets.set(name, { arn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-${suffix}`, versionId: randomUUID(), value, created: Date.now() / 1000 });
    },
    close: server.close,
  };
}
