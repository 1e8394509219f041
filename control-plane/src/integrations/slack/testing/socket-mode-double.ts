/**
 * Slack's side of Socket Mode in tests: `apps.connections.open` on the Web API double hands out a
 * local `ws://` URL served here. Each connection gets `hello` (as Slack sends it), then whatever a
 * test sends: envelopes `{envelope_id, type, payload, accepts_response_payload}` of type
 * `slash_commands`, `interactive` or `events_api`. Acknowledgements (`{envelope_id, payload}`) are
 * recorded and handed back to the sender. The server pings every connection now and then, as
 * Slack does, so the client's ping watchdog stays quiet.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SlackApiDouble } from './slack-api-double';
import { slackPayloads, type ActingSlackUser } from './slack-test-client';

/** One acknowledgement as the app sent it. */
export interface SocketAck {
  envelope_id: string;
  type: string;
  payload: Record<string, unknown>;
}

/** The running Socket Mode double. */
export interface SocketModeDouble {
  appToken: string;
  /** Connections opened so far (each after an `apps.connections.open`). */
  connectionsOpened: number;
  /** Connections open now. */
  openConnections(): number;
  acks: SocketAck[];
  /** Sends an envelope over an open connection; resolves with the app's ack payload. */
  send(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>): Promise<{ envelopeId: string; ack: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Attaches a Socket Mode double to the Web API double for `appToken`. */
export async function startSocketModeDouble(api: SlackApiDouble, { appToken = 'xapp-1-double-app-token' }: { appToken?: string } = {}): Promise<SocketModeDouble> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const open = new Set<WebSocket>();
  const waiting = new Map<string, { type: string; resolve: (ack: Record<string, unknown>) => void }>();
  const acks: SocketAck[] = [];
  let tickets = 0;
  let envelopes = 0;
  const double: SocketModeDouble = {
    appToken,
    connectionsOpened: 0,
    openConnections: () => open.size,
    acks,
    send(type, payload) {
      const socket = [...open][0];
      if (!socket) return Promise.reject(new Error('no Socket Mode connection is open'));
      const envelopeId = `env-${++envelopes}-${Date.now()}`;
      const acked = new Promise<Record<string, unknown>>((resolve) => waiting.set(envelopeId, { type, resolve }));
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' }));
      return acked.then((ack) => ({ envelopeId, ack }));
    },
    close: async () => {
      clearInterval(pings);
      for (const socket of open) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', (socket) => {
    open.add(socket);
    double.connectionsOpened += 1;
    socket.on('close', () => open.delete(socket));
    socket.on('message', (data) => {
      let message: { envelope_id?: string; payload?: Record<string, unknown> };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return;
      }
      const waiter = message.envelope_id ? waiting.get(message.envelope_id) : undefined;
      if (!waiter || !message.envelope_id) return;
      waiting.delete(message.envelope_id);
      const ack = { envelope_id: message.envelope_id, type: waiter.type, payload: message.payload ?? {} };
      acks.push(ack);
      waiter.resolve(ack.payload);
    });
    socket.send(JSON.stringify({ type: 'hello', num_connections: open.size, connection_info: { app_id: 'A0DOUBLE' }, debug_info: { host: 'double' } }));
  });
  const pings = setInterval(() => {
    for (const socket of open) socket.ping();
  }, 2_000);
  pings.unref();
  api.enableSocketMode(appToken, () => `ws://127.0.0.1:${port}/link/?ticket=${++tickets}&app_id=A0DOUBLE`);
  return double;
}

/** Plays a user's actions over Socket Mode: the same payloads the signed HTTP client sends. */
export function socketTestClient(socket: SocketModeDouble, slack: SlackApiDouble) {
  const payloads = slackPayloads(slack);
  return {
    /** `/sym <text>` from `user`. */
    command: (user: ActingSlackUser, text: string, channel = 'C0GENERAL') => socket.send('slash_commands', payloads.command(user, text, channel)),
    /** A button click on a message. */
    click: (user: ActingSlackUser, action: { action_id: string; value: string }, message: { channel: string; ts: string }) => socket.send('interactive', payloads.click(user, action, message)),
    /** A modal submission. */
    submit: (user: ActingSlackUser, view: { callback_id: string; private_metadata?: string; values: Record<string, Record<string, unknown>> }) =>
      socket.send('interactive', payloads.submit(user, view)),
    /** An Events API body (`event_callback`). */
    event: (body: Record<string, unknown>) => socket.send('events_api', body),
  };
}

/** The Socket Mode test client's type. */
export type SocketTestClient = ReturnType<typeof socketTestClient>;
