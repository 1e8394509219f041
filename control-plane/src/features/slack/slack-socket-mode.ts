/**
 * Slack over Socket Mode: one `SocketModeClient` per `slack` integration that names an app-level
 * token (`settings.app_token_secret`), so a control plane behind a firewall needs no public URL.
 * Each envelope goes to the same handler the HTTP routes use (`slack-inbound.ts`) and is
 * acknowledged through the client with that handler's answer; state changes are jobs committed
 * before the ack, modals open after it, as over HTTP. The connection itself authenticates Slack
 * (no request signatures); an envelope naming another team is acknowledged and ignored.
 */
import type { LogLevel, SocketModeClient, Logger as SlackLogger } from '@slack/socket-mode';
import type { Logger } from 'pino';
import type { SlackWorkspace, SlackWorkspaces } from '../../integrations/slack/slack-workspaces';
import type { InboundOutcome, SlackInbound } from './slack-inbound';

type Obj = Record<string, unknown>;

/** What the client hands a listener for one envelope. */
interface Envelope {
  ack(response?: Obj): Promise<void>;
  envelope_id: string;
  type: string;
  body: Obj;
}

/** The Socket Mode connections of this process. */
export interface SlackSocketMode {
  /** Connects every Socket Mode integration; later entity changes reconnect what changed. */
  start(): Promise<void>;
  /** Brings connections in line with the integrations (new ones connect, removed or changed ones go). */
  sync(): Promise<void>;
  /** Disconnects everything; `sync` does nothing afterwards until `start`. */
  stop(): Promise<void>;
}

/** A client connected for one integration, and what it was built from. */
interface Connection {
  fingerprint: string;
  client: SocketModeClient;
}

const teamOf = (type: string, body: Obj): string => {
  if (type === 'slash_commands' || type === 'events_api') return typeof body.team_id === 'string' ? body.team_id : '';
  const team = body.team as Obj | undefined;
  return typeof team?.id === 'string' ? team.id : '';
};

/**
 * The client's log lines through pino. Its debug lines carry whole payloads, so they are dropped;
 * the app token only ever travels in the `apps.connections.open` request, which it does not log.
 */
function slackLogger(logger: Logger, level: LogLevel): SlackLogger {
  const line = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  return {
    debug: () => {},
    info: (...args: unknown[]) => logger.info(line(args)),
    warn: (...args: unknown[]) => logger.warn(line(args)),
    error: (...args: unknown[]) => logger.error(line(args)),
    setLevel: () => {},
    getLevel: () => level,
    setName: () => {},
  };
}

/** Builds the Socket Mode side over the workspaces and the inbound handler. */
export function createSlackSocketMode({
  workspaces,
  inbound,
  logger,
  apiUrl,
  runAfter,
}: {
  workspaces: Pick<SlackWorkspaces, 'all'>;
  inbound: SlackInbound;
  logger: Logger;
  apiUrl: string;
  /** Runs an outcome's work after the ack (modals), as the HTTP routes do. */
  runAfter(outcome: InboundOutcome): void;
}): SlackSocketMode {
  const connections = new Map<string, Connection>();
  let running = false;
  // One sync at a time: entity changes may come in bursts.
  let queue: Promise<void> = Promise.resolve();

  const handle = async (workspace: SlackWorkspace, envelope: Envelope): Promise<void> => {
    const { type, body, envelope_id: envelopeId } = envelope;
    if (type !== 'slash_commands' && type !== 'interactive' && type !== 'events_api') return envelope.ack();
    const team = teamOf(type, body);
    if (team && team !== workspace.teamId) {
      logger.warn({ integrationId: workspace.integration.id, team }, 'slack socket mode: envelope of another team ignored');
      return envelope.ack();
    }
    // A failure is not acknowledged: Slack sends the envelope again, as after an HTTP 5xx.
    const outcome =
      type === 'slash_commands'
        ? await inbound.command(workspace, body)
        : type === 'interactive'
          ? // The envelope id makes the jobs of one envelope unique, as the signature does over HTTP.
            await inbound.interaction(workspace, body, `socket:${envelopeId}`)
          : await inbound.event(workspace, body);
    await envelope.ack(outcome.answer);
    runAfter(outcome);
  };

  const connect = async (workspace: SlackWorkspace, fingerprint: string): Promise<void> => {
    // Loaded with the first app-level token: most installations never open a socket, and the
    // client and its WebSocket stack add about 4 MB to the heap.
    const { LogLevel, SocketModeClient } = await import('@slack/socket-mode');
    const client = new SocketModeClient({
      appToken: await workspace.appToken(),
      logger: slackLogger(logger, LogLevel.INFO),
      clientOptions: { slackApiUrl: apiUrl },
    });
    client.on('slack_event', (envelope: Envelope) => {
      handle(workspace, envelope).catch((err: unknown) =>
        logger.warn({ integrationId: workspace.integration.id, type: envelope.type, error: (err as Error).message }, 'slack socket mode: envelope failed'),
      );
    });
    const id = workspace.integration.id;
    connections.set(id, { fingerprint, client });
    // Not awaited: the client keeps retrying a connection Slack refuses for now, and one
    // workspace must not hold up the others (or the process's start).
    client.start().then(
      () => logger.info({ integrationId: id }, 'slack socket mode: connected'),
      async (err: unknown) => {
        logger.warn({ integrationId: id, error: (err as Error).message }, 'slack socket mode: could not connect');
        if (connections.get(id)?.client === client) await disconnect(id);
      },
    );
  };

  const disconnect = async (id: string): Promise<void> => {
    const connection = connections.get(id);
    if (!connection) return;
    connections.delete(id);
    connection.client.removeAllListeners('slack_event');
    await connection.client.disconnect().catch(() => {});
  };

  const syncNow = async (): Promise<void> => {
    if (!running) return;
    const wanted = (await workspaces.all()).filter((w) => w.transport === 'socket');
    const ids = new Set(wanted.map((w) => w.integration.id));
    for (const id of [...connections.keys()]) if (!ids.has(id)) await disconnect(id);
    await Promise.all(
      wanted.map(async (workspace) => {
        // A changed integration (team, settings) reconnects with what it names now.
        const fingerprint = JSON.stringify(workspace.integration.data);
        const current = connections.get(workspace.integration.id);
        if (current?.fingerprint === fingerprint) return;
        await disconnect(workspace.integration.id);
        try {
          await connect(workspace, fingerprint);
        } catch (err) {
          // A missing secret: logged (never a value), the others still connect.
          logger.warn({ integrationId: workspace.integration.id, error: (err as Error).message }, 'slack socket mode: could not connect');
        }
      }),
    );
  };

  // Never rejects: it runs unawaited on entity changes, and the next change (or start) tries again.
  const syncLogged = () => syncNow().catch((err: unknown) => logger.warn({ error: (err as Error).message }, 'slack socket mode: sync failed'));
  const sync = () => (queue = queue.then(syncLogged));
  return {
    start: async () => {
      running = true;
      await sync();
    },
    sync,
    stop: async () => {
      running = false;
      await queue;
      await Promise.all([...connections.keys()].map(disconnect));
    },
  };
}
