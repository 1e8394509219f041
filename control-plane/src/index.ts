/** Programmatic entry of the control plane (tests and tools embed it; `server.ts` is the CLI). */
export { composeControlPlane, defaultMigrationsDir } from './compose';
export type { ControlPlane } from './compose';
export { createApp } from './app';
export type { AppDeps } from './app';
export { parseConfig } from './config';
export type { Config } from './config';
export { createLogger } from './logging/logger';
export { ApiError } from './errors/api-error';
