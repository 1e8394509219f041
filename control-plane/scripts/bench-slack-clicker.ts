/**
 * The clicking half of the Slack bench, in its own process so that its client does not share the
 * control plane's event loop. Reads `{ url, clicks: [{ body, headers }] }` from stdin and prints one
 * JSON line: per click, when it was sent (epoch ms, `performance.timeOrigin` based), the ack time in
 * milliseconds and the HTTP status. Protocol: the clicks as one JSON line on stdin; `ready` on
 * stdout once the connections are warm; `go` on stdin sends the clicks; the answers follow as one
 * JSON line.
 *
 * A load generator's client, not a general one. Slack (or the load balancer in front of the control
 * plane) sends over connections it keeps open, so each click gets a connection opened and used
 * once (`GET /healthz`, kept alive) before the clicks: the server has accepted it, and the ack time
 * is the server's from the moment the click reaches it. Each request is serialised beforehand and
 * all are written in one synchronous loop, so sending costs this process a `write` per click and
 * the numbers stay the server's even when its threads leave this process little CPU. (Node accepts
 * one new connection per event-loop turn: a burst of new connections to a busy server would measure
 * that instead.)
 */
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

interface Click {
  body: string;
  headers: Record<string, string>;
}

interface Answer {
  sentAt: number;
  ackMs: number;
  status: number;
}

// stdin: the clicks as one JSON line, then `go` once the parent is ready to measure.
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const { url, clicks } = JSON.parse((await lines.next()).value as string) as { url: string; clicks: Click[] };
const target = new URL(url);

/** The whole HTTP/1.1 request of a click, as bytes (the server closes the connection after answering). */
const serialise = (click: Click): Buffer => {
  const body = Buffer.from(click.body);
  const head = [
    `POST ${target.pathname} HTTP/1.1`,
    `host: ${target.host}`,
    `content-length: ${body.length}`,
    'connection: close',
    ...Object.entries(click.headers).map(([k, v]) => `${k}: ${v}`),
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head), body]);
};

/** A connection the server has accepted and answered once (`GET /healthz`, kept alive). */
const warmConnection = () =>
  new Promise<Socket>((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname, () => socket.write(`GET /healthz HTTP/1.1\r\nhost: ${target.host}\r\n\r\n`));
    socket.setNoDelay(true);
    socket.once('error', reject);
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      const headEnd = seen.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(seen)?.[1] ?? NaN);
      if (headEnd < 0 || Number.isNaN(length) || seen.length < headEnd + 4 + length) return;
      socket.off('data', onData);
      if (!/^HTTP\/1\.1 200/.test(seen)) return reject(new Error(`GET /healthz answered ${seen.slice(0, 40)}`));
      resolve(socket);
    };
    socket.on('data', onData);
  });

/** Resolves with the status once the whole answer is in (the server closes: `connection: close`). */
const answerOf = (socket: Socket, sentAt: () => number) =>
  new Promise<Answer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', reject);
    socket.once('end', () => {
      const ackMs = performance.now() - sentAt();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(chunks).toString('latin1'))?.[1] ?? 0);
      resolve({ sentAt: performance.timeOrigin + sentAt(), ackMs, status });
    });
  });

const requests = clicks.map(serialise);
const sockets = await Promise.all(requests.map(warmConnection));
process.stdout.write('ready\n');
await lines.next();
let start = 0;
const answers = sockets.map((socket) => answerOf(socket, () => start));
start = performance.now();
sockets.forEach((socket, i) => socket.write(requests[i]!));
process.stdout.write(`${JSON.stringify(await Promise.all(answers))}\n`);
