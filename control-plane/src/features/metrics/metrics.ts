import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobHandlers } from '../../jobs';
import type { HookRunner } from '../requests/hook-runner';
import type { StrategyRegistry } from '../strategies/access-strategy';
import type { SandboxStats } from '../../sandbox/create-sandbox';
import { routePatternOf } from '../../http/operations';

/** What the scrape reads at collection time (cheap reads; see each). */
/** Sandbox pool occupancy as the gauges report it. */
export interface SandboxOccupancy {
  busy: number;
  total: number;
  waiting: number;
}

/** Occupancy from a sandbox's pool snapshot: threads holding an invocation, threads started, queued work. */
export function sandboxOccupancy(stats: SandboxStats): SandboxOccupancy {
  return { busy: stats.threads - stats.idle, total: stats.threads, waiting: stats.waiting };
}

export interface MetricSources {
  /** Access requests per state, straight from the database. */
  requestsByState?: () => Promise<{ state: string; count: number }[]>;
  /** Sandbox worker pool occupancy. */
  sandbox?: () => SandboxOccupancy;
  /** Whether this process's job runner is running. */
  jobsRunning?: () => boolean;
}

/** The control plane's Prometheus metrics and the decorators that feed them. */
export interface Metrics {
  readonly registry: Registry;
  /** Times every HTTP request, labelled by the Express route pattern (never the raw path). */
  http: RequestHandler;
  /** Wraps a hook runner to time hook calls and count their failures. */
  observeHooks(hooks: HookRunner): HookRunner;
  /** Wraps a strategy registry to time escalate/deescalate and count their failures. */
  observeStrategies(registry: StrategyRegistry): StrategyRegistry;
  /** Wraps job handlers to record job lag (due → claimed). */
  observeJobs(handlers: JobHandlers): JobHandlers;
  /** Sets where the scrape reads gauges from (called once wiring is done). */
  setSources(sources: MetricSources): void;
  /** The exposition text of one scrape. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

// How long a requests-by-state count is reused: scrapes closer together than this cost no query.
const stateCountTtlMs = 5_000;

/** Creates a registry of its own (not prom-client's global one), so tests can build several. */
export function createMetrics({ now = () => performance.now(), defaultMetrics = true }: { now?: () => number; defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'opensym_' });
  let sources: MetricSources = {};

  const httpDuration = new Histogram({
    name: 'opensym_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern, method and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const hookDuration = new Histogram({
    name: 'opensym_hook_duration_seconds',
    help: 'Duration of flow hook and reducer calls in the sandbox, by hook and outcome.',
    labelNames: ['hook', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const hookFailures = new Counter({ name: 'opensym_hook_failures_total', help: 'Hook and reducer calls that threw, by hook.', labelNames: ['hook'], registers: [registry] });
  const strategyDuration = new Histogram({
    name: 'opensym_strategy_duration_seconds',
    help: 'Duration of strategy escalate/deescalate calls, by strategy type, action and outcome.',
    labelNames: ['type', 'action', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const strategyFailures = new Counter({
    name: 'opensym_strategy_failures_total',
    help: 'Strategy calls that failed, by strategy type and action.',
    labelNames: ['type', 'action'],
    registers: [registry],
  });
  const jobLag = new Histogram({
    name: 'opensym_job_lag_seconds',
    help: 'Time from a job becoming due to a worker claiming it, by job kind.',
    labelNames: ['kind'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });

  let stateCache: { at: number; rows: { state: string; count: number }[] } | null = null;
  new Gauge({
    name: 'opensym_access_requests',
    help: 'Access requests by state (all organizations), counted in the database at scrape time.',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      if (!sources.requestsByState) return;
      if (!stateCache || now() - stateCache.at > stateCountTtlMs) stateCache = { at: now(), rows: await sources.requestsByState() };
      this.reset();
      for (const { state, count } of stateCache.rows) this.set({ state }, count);
    },
  });
  const sandboxGauge = (name: string, help: string, pick: (s: SandboxOccupancy) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const stats = sources.sandbox?.();
        if (stats) this.set(pick(stats));
      },
    });
  sandboxGauge('opensym_sandbox_workers_busy', 'Sandbox worker threads holding an invocation (running guest code or parked in a host call).', (s) => s.busy);
  sandboxGauge('opensym_sandbox_workers_total', 'Sandbox worker threads started (idle ones included).', (s) => s.total);
  sandboxGauge('opensym_sandbox_waiting', 'Sandbox invocations and resumptions waiting for a run slot.', (s) => s.waiting);
  new Gauge({
    name: 'opensym_job_runner_running',
    help: '1 while this process runs durable jobs.',
    registers: [registry],
    collect() {
      if (sources.jobsRunning) this.set(sources.jobsRunning() ? 1 : 0);
    },
  });

  const http: RequestHandler = (req, res, next) => {
    const start = now();
    res.once('finish', () => {
      // The matched route's whole pattern (`/api/v1/requests/:id/approve`), so ids never become label values.
      const route = routePatternOf(res) ?? 'unmatched';
      httpDuration.observe({ method: req.method, route, status_code: String(res.statusCode) }, (now() - start) / 1000);
    });
    next();
  };

  const timed = async <T>(run: () => Promise<T>, done: (seconds: number, ok: boolean) => void): Promise<T> => {
    const start = now();
    try {
      const value = await run();
      done((now() - start) / 1000, true);
      return value;
    } catch (err) {
      done((now() - start) / 1000, false);
      throw err;
    }
  };

  return {
    registry,
    http,
    observeHooks: (hooks) => ({
      run: async (source, name, event, orgId, args) => {
        const start = now();
        try {
          const outcome = await hooks.run(source, name, event, orgId, args);
          // A hook the module does not export never reached the sandbox: nothing to time.
          if (outcome.exported) hookDuration.observe({ hook: name, outcome: 'ok' }, (now() - start) / 1000);
          return outcome;
        } catch (err) {
          hookDuration.observe({ hook: name, outcome: 'error' }, (now() - start) / 1000);
          hookFailures.inc({ hook: name });
          throw err;
        }
      },
    }),
    observeStrategies: (inner) => ({
      runnerFor: (strategy) => {
        const runner = inner.runnerFor(strategy);
        const type = strategy.type ?? 'unknown';
        const wrap =
          (action: 'escalate' | 'deescalate'): typeof runner.escalate =>
          (invocation) =>
            timed(
              () => runner[action](invocation),
              (seconds, ok) => {
                strategyDuration.observe({ type, action, outcome: ok ? 'ok' : 'error' }, seconds);
                if (!ok) strategyFailures.inc({ type, action });
              },
            );
        return { ...runner, escalate: wrap('escalate'), deescalate: wrap('deescalate') };
      },
    }),
    observeJobs: (handlers) =>
      Object.fromEntries(
        Object.entries(handlers).map(([kind, h]) => [
          kind,
          {
            ...h,
            run: async (job) => {
              if (job.dueAt) jobLag.observe({ kind }, Math.max(0, Date.now() - job.dueAt.getTime()) / 1000);
              return h.run(job);
            },
          },
        ]),
      ),
    setSources(next) {
      sources = next;
      stateCache = null;
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
