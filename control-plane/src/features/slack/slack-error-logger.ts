/**
 * `sym_error_logger` through Slack: when a flow's environment names an error logger whose
 * integration is a `slack` integration, strategy failures (the ErrorReporter) and hook failures
 * (`request.hook_failed` events) are posted to its `destination` channel by a `slack_error_log` job.
 * The message names the request, the flow, the step and a short cause (at most 300 characters of
 * an error text that is already scrubbed of secret values); never settings, payloads or secrets.
 */
import type { Logger } from 'pino';
import type { NewJob } from '../../jobs/job-queue';
import type { EntityRecord } from '../../shared/entity-record';
import type { StrategyFailureReport } from '../strategies/error-reporter';
import type { NewRequestEvent } from '../requests/request-store';
import { SLACK_JOBS } from './slack-jobs';

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Reports failures to the environment's Slack error logger; never throws. */
export interface SlackErrorLogger {
  /** A strategy failure (ErrorReporter). */
  report(failure: StrategyFailureReport): Promise<void>;
  /** Events just recorded on a request: its `request.hook_failed` ones are reported. */
  recorded(orgId: string, requestId: string, events: NewRequestEvent[]): Promise<void>;
}

/** The logger over entity reads, the request's flow environment, and the job queue. */
export function createSlackErrorLogger({
  entities,
  requestEnvironment,
  enqueue,
  logger,
}: {
  entities: { findById(orgId: string, kind: string, id: string): Promise<EntityRecord | null> };
  /** The environment id and flow name of a request (null when it is gone). */
  requestEnvironment(orgId: string, requestId: string): Promise<{ environmentId: string | null; flowName: string } | null>;
  enqueue(job: NewJob): Promise<void>;
  logger: Logger;
}): SlackErrorLogger {
  const send = async (orgId: string, environmentId: string | null, text: string) => {
    if (!environmentId) return;
    const environment = await entities.findById(orgId, 'environments', environmentId);
    const loggerId = environment?.data.error_logger_id;
    if (typeof loggerId !== 'string') return;
    const errorLogger = await entities.findById(orgId, 'error-loggers', loggerId);
    const integrationId = errorLogger?.data.integration_id;
    const destination = errorLogger?.data.destination;
    if (typeof integrationId !== 'string' || typeof destination !== 'string') return;
    const integration = await entities.findById(orgId, 'integrations', integrationId);
    if (integration?.type !== 'slack') return;
    await enqueue({ kind: SLACK_JOBS.errorLog, orgId, payload: { integrationId, destination, text } });
  };
  const safely = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      logger.warn({ error: (err as Error).message }, `slack error logger: ${what} not reported`);
    }
  };
  return {
    report: (f) =>
      safely('strategy failure', () =>
        send(f.orgId, f.environmentId, `:warning: Request ${f.requestId}: the access strategy failed${f.context?.action ? ` (${f.context.action})` : ''}: ${clip(f.error.message, 300)}`),
      ),
    recorded: (orgId, requestId, events) =>
      safely('hook failure', async () => {
        const failures = events.filter((e) => e.type === 'request.hook_failed');
        if (failures.length === 0) return;
        const where = await requestEnvironment(orgId, requestId);
        if (!where) return;
        for (const e of failures) {
          const hook = typeof e.data.hook === 'string' ? e.data.hook : 'a hook';
          const error = typeof e.data.error === 'string' ? e.data.error : 'failed';
          await send(orgId, where.environmentId, `:warning: Flow ${where.flowName}, request ${requestId}: ${hook} failed: ${clip(error, 300)}`);
        }
      }),
  };
}
