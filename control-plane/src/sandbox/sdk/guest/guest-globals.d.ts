// Globals of the guest's QuickJS context that ES2023 does not describe.

/** QuickJS's error for engine limits (out of memory, stack overflow, interrupted). */
declare class InternalError extends Error {}

/** The host bridge the worker installs; sym/_core takes it off globalThis before user code runs. */
declare var __sym_host: ((op: string, args: string) => string) | undefined;

/** Set by sym/_core: console lines go to the host. */
declare var console: Readonly<Record<'log' | 'info' | 'warn' | 'error' | 'debug', (...args: unknown[]) => void>>;

/** QuickJS adds where an error was raised. */
interface Error {
  fileName?: string;
  lineNumber?: number;
}
