/**
 * An HTTP proxy for tests, in front of moto (or any AWS endpoint): it records which service,
 * operation and access key each signed call used, and can answer chosen calls with an AWS error
 * (429 throttling, 5xx, AccessDenied) in the service's own protocol instead of forwarding them,
 * since moto cannot be made to fail on demand.
 */
import { type IncomingMessage, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCallHold, type CallHold, type HeldCall } from './held-call';

/** One call as the proxy saw it. */
export interface RecordedAwsCall {
  /** The SigV4 credential scope's service (`sso`, `identitystore`, `iam`, `sts`, `secretsmanager`...). */
  service: string;
  /** `X-Amz-Target`'s operation, the query protocol's `Action`, else `METHOD /path`. */
  operation: string;
  /** The access key id the call was signed with. */
  accessKeyId: string;
  /** Whether the proxy answered with an injected fault. */
  faulted: boolean;
  /** The request body as text (query-protocol parameters, JSON input). */
  body: string;
  /** The HTTP status answered (the fault's, or upstream's once it answered). */
  status?: number;
}

/** An injected AWS error answer. */
export interface AwsFault {
  status: number;
  /** The AWS error code (`ThrottlingException`, `InternalServerException`, `AccessDeniedException`...). */
  code: string;
  message?: string;
}

/** Which calls a fault applies to; unset fields match anything. */
export interface AwsCallMatch {
  service?: string;
  operation?: string;
}

/** A running proxy. */
export interface AwsFaultProxy {
  /** Point the SDK (`AWS_ENDPOINT_URL`) here. */
  url: string;
  /** Every call so far, in order. */
  calls: RecordedAwsCall[];
  /** Answers the next `times` matching calls with `fault` instead of forwarding them. */
  failNext(match: AwsCallMatch, fault: AwsFault, times?: number): void;
  /** Forwards the next matching call and hands upstream's answer body to `rewrite` (e.g. to report an operation still in progress). */
  rewriteNext(match: AwsCallMatch, rewrite: (body: string) => string): void;
  /** Keeps the next matching call waiting until `release()` (faults and forwarding come after). */
  holdNext(match: AwsCallMatch): HeldCall;
  close(): Promise<void>;
}

interface Rule {
  match: AwsCallMatch;
  fault: AwsFault;
  remaining: number;
}

interface Rewrite {
  match: AwsCallMatch;
  rewrite: (body: string) => string;
  used: boolean;
}

function describeCall(req: IncomingMessage, body: Buffer): Omit<RecordedAwsCall, 'faulted' | 'body'> {
  const auth = String(req.headers.authorization ?? '');
  // Credential=AKID/20260101/us-east-1/iam/aws4_request
  const scope = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(auth);
  const target = req.headers['x-amz-target'];
  let operation = typeof target === 'string' ? target.slice(target.lastIndexOf('.') + 1) : '';
  if (!operation && String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) {
    operation = new URLSearchParams(body.toString()).get('Action') ?? '';
  }
  return { service: scope?.[2] ?? '', accessKeyId: scope?.[1] ?? '', operation: operation || `${req.method} ${req.url}` };
}

function matches(match: AwsCallMatch, call: Omit<RecordedAwsCall, 'faulted' | 'body'>): boolean {
  return (match.service === undefined || match.service === call.service) && (match.operation === undefined || match.operation === call.operation);
}

/** Writes the fault the way the call's protocol reports errors, so the SDK parses its code. */
function sendFault(req: IncomingMessage, res: ServerResponse, fault: AwsFault): void {
  const message = fault.message ?? `injected ${fault.code}`;
  if (String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) {
    // Query protocol (IAM, STS).
    const xml = `<ErrorResponse><Error><Type>${fault.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${fault.code}</Code><Message>${message}</Message></Error><RequestId>injected</RequestId></ErrorResponse>`;
    res.writeHead(fault.status, { 'content-type': 'text/xml' });
    res.end(xml);
    return;
  }
  // JSON 1.1 and REST-JSON.
  res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': fault.code });
  res.end(JSON.stringify({ __type: fault.code, message }));
}

/** Starts the proxy on a random loopback port, forwarding to `targetUrl`. */
export async function startAwsFaultProxy(targetUrl: string): Promise<AwsFaultProxy> {
  const target = new URL(targetUrl);
  const calls: RecordedAwsCall[] = [];
  const rules: Rule[] = [];
  const rewrites: Rewrite[] = [];
  const holds: CallHold<ReturnType<typeof describeCall>>[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const call = describeCall(req, body);
      for (const hold of holds) await hold.gate(call);
      const rule = rules.find((r) => r.remaining > 0 && matches(r.match, call));
      const recorded: RecordedAwsCall = { ...call, faulted: Boolean(rule), body: body.toString() };
      calls.push(recorded);
      if (rule) {
        recorded.status = rule.fault.status;
        rule.remaining--;
        sendFault(req, res, rule.fault);
        return;
      }
      const rewrite = rewrites.find((r) => !r.used && matches(r.match, call));
      if (rewrite) rewrite.used = true;
      const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        recorded.status = answer.statusCode;
        if (!rewrite) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          const text = rewrite.rewrite(Buffer.concat(parts).toString());
          const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(text)) };
          delete headers['transfer-encoding'];
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(text);
        });
      });
      upstream.on('error', (error) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    failNext(match, fault, times = 1) {
      rules.push({ match, fault, remaining: times });
    },
    rewriteNext(match, rewrite) {
      rewrites.push({ match, rewrite, used: false });
    },
    holdNext(match) {
      const hold = createCallHold<ReturnType<typeof describeCall>>((call) => matches(match, call));
      holds.push(hold);
      return hold;
    },
    close: () =>
      new Promise((resolve) => {
        for (const hold of holds) hold.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
