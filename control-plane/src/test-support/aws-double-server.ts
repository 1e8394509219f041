// Shared plumbing of the AWS doubles: a loopback HTTP server that reads whole bodies and insists
// on a SigV4 Authorization header, as AWS does, so unsigned calls fail in tests too.
import { type IncomingHttpHeaders, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the doubles see it. */
export interface AwsRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A running double: its endpoint for the SDK client and how to stop it. */
export interface AwsDoubleServer {
  url: string;
  close(): Promise<void>;
}

/** Starts a server on a random loopback port; `handle` answers every signed request. */
export async function startAwsDoubleServer(handle: (request: AwsRequest, res: ServerResponse) => Promise<void> | void, onUnsigned: (res: ServerResponse) => void): Promise<AwsDoubleServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=')) return onUnsigned(res);
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      Promise.resolve(handle(request, res)).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(error) }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
