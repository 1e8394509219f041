/**
 * `POST /slack/commands`, `/slack/interactions`, `/slack/events`: the raw body is read once, the
 * workspace found by the body's team id (every organization whose `slack` integration has it), and
 * the v0 signature checked against that integration's signing secret; a forged, stale or replayed
 * call is a 401 problem and changes nothing. Then `slack-inbound.ts` answers, and work that must not
 * be lost is already in the job queue when the answer goes out.
 */
import express, { type Request, type Router } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../../errors/api-error';
import { operationRouter, type OperationIndex } from '../../http/operations';
import type { ReplayGuard } from '../../integrations/slack/replay-guard';
import { verifySlackSignature } from '../../integrations/slack/slack-signature';
import type { SlackWorkspace, SlackWorkspaces } from '../../integrations/slack/slack-workspaces';
import type { InboundOutcome, SlackInbound } from './slack-inbound';

type Obj = Record<string, unknown>;

const refused = () => new ApiError('unauthorized', 'The Slack request signature is missing, wrong, too old or already used.');

/** The body as Slack sent it: form fields (interactions: `payload` parsed), or JSON for events. */
function parseBody(req: Request): Obj {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  if (req.is('application/json')) {
    try {
      const parsed = JSON.parse(raw) as unknown;
      return typeof parsed === 'object' && parsed !== null ? (parsed as Obj) : {};
    } catch {
      return {};
    }
  }
  const form = Object.fromEntries(new URLSearchParams(raw)) as Obj;
  if (typeof form.payload === 'string') {
    try {
      return JSON.parse(form.payload) as Obj;
    } catch {
      return {};
    }
  }
  return form;
}

const teamOf = (body: Obj): string => {
  if (typeof body.team_id === 'string') return body.team_id;
  const team = body.team as Obj | undefined;
  return typeof team?.id === 'string' ? team.id : '';
};

/** The Slack routes. */
export function slackRoutes({
  operations,
  workspaces,
  inbound,
  replays,
  logger,
  nowSeconds = () => Math.floor(Date.now() / 1000),
}: {
  operations: OperationIndex;
  workspaces: Pick<SlackWorkspaces, 'forTeam' | 'all'>;
  inbound: SlackInbound;
  replays: ReplayGuard;
  logger: Logger;
  nowSeconds?: () => number;
}): Router {
  const { router, handle } = operationRouter(operations, '');
  const raw = express.raw({ type: () => true, limit: '1mb' });

  /** The workspace whose signing secret signed this request, or a 401. */
  const verified = async (req: Request, body: Obj): Promise<{ workspace: SlackWorkspace; signature: string }> => {
    const timestamp = req.get('x-slack-request-timestamp');
    const signature = req.get('x-slack-signature');
    const team = teamOf(body);
    // URL verification names no team: any Slack integration's secret may have signed it.
    const candidates = team ? await workspaces.forTeam(team) : body.type === 'url_verification' ? await workspaces.all() : [];
    const now = nowSeconds();
    for (const workspace of candidates) {
      let secret: string;
      try {
        secret = await workspace.signingSecret();
      } catch (err) {
        logger.warn({ integrationId: workspace.integration.id, error: (err as Error).message }, 'slack: signing secret unavailable');
        continue;
      }
      const verdict = verifySlackSignature({ signingSecret: secret, timestamp, signature, body: req.body as Buffer, nowSeconds: now });
      if (!verdict.ok) continue;
      if (!replays.firstUse(signature!, Number(timestamp), now)) {
        logger.warn({ team }, 'slack: replayed request refused');
        throw refused();
      }
      return { workspace, signature: signature! };
    }
    logger.warn({ team, candidates: candidates.length }, 'slack: request signature refused');
    throw refused();
  };

  const respond = (res: express.Response, outcome: InboundOutcome) => {
    res.status(200).json(outcome.answer);
    // Modals open after the ack (their trigger lives 3 s); a failure there changes nothing durable.
    if (outcome.after) outcome.after().catch((err: unknown) => logger.warn({ error: (err as Error).message }, 'slack: work after the ack failed'));
  };

  handle(
    'slack-commands',
    async (req, res) => {
      const body = parseBody(req);
      const { workspace } = await verified(req, body);
      respond(res, await inbound.command(workspace, body));
    },
    { before: [raw] },
  );
  handle(
    'slack-interactions',
    async (req, res) => {
      const body = parseBody(req);
      const { workspace, signature } = await verified(req, body);
      respond(res, await inbound.interaction(workspace, body, signature));
    },
    { before: [raw] },
  );
  handle(
    'slack-events',
    async (req, res) => {
      const body = parseBody(req);
      const { workspace } = await verified(req, body);
      respond(res, await inbound.event(workspace, body));
    },
    { before: [raw] },
  );
  return router;
}
