/**
 * Marks statements as urgent: those issued inside `withStatementPriority` (an inbound Slack
 * request before its ack) go before statements queued by background work on PGlite's single
 * connection (`pglite-yield.ts`). PostgreSQL's pool has no such queue; the mark changes nothing there.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const urgent = new AsyncLocalStorage<true>();

/** Runs `fn` with every statement it issues (through its awaits) marked urgent. */
export function withStatementPriority<T>(fn: () => Promise<T>): Promise<T> {
  return urgent.run(true, fn);
}

/** Whether the statement being issued now comes from `withStatementPriority`. */
export function isUrgentStatement(): boolean {
  return urgent.getStore() === true;
}
