import { Worker } from 'node:worker_threads';
import type { WorkerInit } from './worker-protocol';

/** Worker resource limits: a larger native stack than QuickJS's own limit, so QuickJS always stops first. */
const RESOURCE_LIMITS = { stackSizeMb: 8, maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

/**
 * Starts a sandbox worker. From TypeScript sources (tsx), worker threads do not inherit tsx's
 * loader hooks, so the worker registers tsx itself before importing `sandbox-worker.ts`; from
 * a build, `sandbox-worker.js` must sit next to this module.
 */
export function startWorker(init: WorkerInit): Worker {
  const options = {
    workerData: init,
    transferList: [init.replyPort],
    resourceLimits: RESOURCE_LIMITS,
  };
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./sandbox-worker.ts', here).href;
    const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(bootstrap, { ...options, eval: true });
  }
  return new Worker(new URL('./sandbox-worker.js', here), options);
}
