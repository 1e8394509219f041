import { Worker } from 'node:worker_threads';
import type { PythonWorkerInit } from './python-protocol';

/** A native stack large enough for the interpreter's own recursion limit to stop first. */
const RESOURCE_LIMITS = { stackSizeMb: 8, maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };

/**
 * Starts a Python worker. From TypeScript sources the worker registers tsx itself before importing
 * `python-worker.ts` (worker threads do not inherit tsx's hooks); from a build,
 * `python-worker.js` must sit next to this module.
 */
export function startPythonWorker(init: PythonWorkerInit): Worker {
  const options = { workerData: init, transferList: [init.inPort], resourceLimits: RESOURCE_LIMITS };
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./python-worker.ts', here).href;
    const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(bootstrap, { ...options, eval: true });
  }
  return new Worker(new URL('./python-worker.js', here), options);
}
