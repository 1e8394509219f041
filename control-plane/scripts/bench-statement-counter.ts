/**
 * Counts the SQL statements this process sends, for the Slack bench's "statements per round":
 * on PGlite every `query`/`exec` (inside transactions too, plus their BEGIN and COMMIT), on
 * PostgreSQL every `pg` client query. Job claims and completions are counted apart, because the
 * job queue's share is what the bench follows. Bench-only: it patches the drivers' prototypes.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** Statements counted so far. */
export interface StatementCounts {
  total: number;
  claims: number;
  completions: number;
  /** Statements by their text with literals blanked (filled only with `OPENSYM_BENCH_STATEMENTS=1`). */
  byShape: Map<string, number>;
}

/** A statement's text with its literals and parameter numbers blanked, cut to 160 characters. */
const shapeOf = (text: string) =>
  text
    .replace(/'[^']*'/g, "'?'")
    .replace(/\$\d+/g, '$?')
    .replace(/\s+/g, ' ')
    .slice(0, 160);

/** Installs the counters once and returns the live counts. */
export function countStatements(): StatementCounts {
  const counts: StatementCounts = { total: 0, claims: 0, completions: 0, byShape: new Map() };
  const keepShapes = process.env.OPENSYM_BENCH_STATEMENTS === '1';
  const see = (sql: unknown) => {
    const text = typeof sql === 'string' ? sql : ((sql as { text?: string } | null)?.text ?? '');
    counts.total++;
    if (keepShapes) counts.byShape.set(shapeOf(text), (counts.byShape.get(shapeOf(text)) ?? 0) + 1);
    if (text.includes('WITH queued AS')) counts.claims++;
    else if (text.includes(`SET "state" = 'done'`)) counts.completions++;
  };
  const wrap = <T extends object>(target: T, names: string[]): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const value = Reflect.get(t, prop, receiver) as unknown;
        if (typeof prop === 'string' && names.includes(prop) && typeof value === 'function')
          return (...args: unknown[]) => {
            see(args[0]);
            return (value as (...a: unknown[]) => unknown).apply(t, args);
          };
        return value;
      },
    });
  const proto = PGlite.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of ['query', 'exec']) {
    const original = proto[name]!;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      see(args[0]);
      return original.apply(this, args);
    };
  }
  const transaction = proto.transaction!;
  proto.transaction = function (this: unknown, ...args: unknown[]) {
    counts.total += 2; // BEGIN and COMMIT (or ROLLBACK)
    const body = args[0] as (tx: object) => Promise<unknown>;
    return transaction.call(this, (tx: object) => body(wrap(tx, ['query', 'exec'])));
  };
  const clientProto = pg.Client.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const clientQuery = clientProto.query!;
  clientProto.query = function (this: unknown, ...args: unknown[]) {
    see(args[0]);
    return clientQuery.apply(this, args);
  };
  return counts;
}
