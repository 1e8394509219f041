/**
 * Autovacuum for the embedded database. PGlite runs PostgreSQL in single-user mode: `autovacuum`
 * is on, but no launcher process exists, so tables are never analyzed or vacuumed. Without
 * statistics the planner guesses, and some guesses scan a whole table (measured: a request's
 * events read through the organization's index, 8 ms at 30,000 events and growing); without
 * VACUUM, updated rows (requests, jobs) are never reclaimed. This loop applies autovacuum's own
 * default thresholds from the statistics the server keeps, one table at a time.
 */

/** The part of PGlite this needs. */
export interface MaintainedDatabase {
  query<T>(sql: string): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
}

export interface MaintenanceOptions {
  /** How often the statistics are checked (default 10 s). */
  intervalMs?: number;
  /** Told about each table worked on, and about failures (which never stop the loop). */
  onEvent?: (event: { table: string; action: 'analyze' | 'vacuum' } | { error: Error }) => void;
}

interface TableStats {
  relname: string;
  n_live_tup: number;
  n_dead_tup: number;
  n_mod_since_analyze: number;
  reltuples: number;
}

// PostgreSQL's autovacuum defaults: analyze after 50 + 10 % of the rows changed, vacuum after
// 50 + 20 % of them are dead.
const ANALYZE_THRESHOLD = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_THRESHOLD = 50;
const VACUUM_SCALE = 0.2;

/** What a table needs now: never analyzed or changed enough → analyze; enough dead rows → vacuum (which also analyzes). */
export function maintenanceFor(t: TableStats): 'vacuum' | 'analyze' | null {
  const live = Math.max(Number(t.n_live_tup), Number(t.reltuples), 0);
  if (Number(t.n_dead_tup) > VACUUM_THRESHOLD + VACUUM_SCALE * live) return 'vacuum';
  if (Number(t.reltuples) < 0 || Number(t.n_mod_since_analyze) > ANALYZE_THRESHOLD + ANALYZE_SCALE * live) return 'analyze';
  return null;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** One round: flush this session's counters, read them, work on the tables that need it. */
export async function maintainOnce(db: MaintainedDatabase, onEvent: MaintenanceOptions['onEvent'] = () => {}): Promise<void> {
  // Single-user mode reports the session's counters only when asked, at the next statement.
  await db.query('SELECT pg_stat_force_next_flush()');
  await db.query('SELECT 1');
  const { rows } = await db.query<TableStats>(`
    SELECT s.relname, s.n_live_tup, s.n_dead_tup, s.n_mod_since_analyze, c.reltuples
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
    WHERE s.schemaname = 'public'`);
  for (const table of rows) {
    const action = maintenanceFor(table);
    if (!action) continue;
    await db.exec(`${action === 'vacuum' ? 'VACUUM (ANALYZE)' : 'ANALYZE'} ${quoteIdent(table.relname)}`);
    onEvent({ table: table.relname, action });
  }
}

/** Runs a round now and then every `intervalMs` until the returned `stop()`; rounds never overlap. */
export function startMaintenance(db: MaintainedDatabase, options: MaintenanceOptions = {}): { stop(): Promise<void> } {
  const intervalMs = options.intervalMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const round = () => {
    running = maintainOnce(db, options.onEvent)
      .catch((error: unknown) => options.onEvent?.({ error: error instanceof Error ? error : new Error(String(error)) }))
      .finally(() => {
        // The loop must not keep the process alive on its own.
        if (!stopped) timer = setTimeout(round, intervalMs).unref();
      });
  };
  round();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
