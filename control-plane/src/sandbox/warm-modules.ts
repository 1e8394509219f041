import type { WorkerJob } from './worker-protocol';

/** Evaluated modules one worker keeps (least recently used out beyond this). */
export const WARM_MODULES_PER_WORKER = 8;

/** The key of a job's warm module: same scope, file, limits and source, or none. */
export function warmKeyOf(job: WorkerJob): string | undefined {
  if (job.mode !== 'run' || !job.reuseScope) return undefined;
  return `${job.reuseScope}\0${job.filename}\0${JSON.stringify(job.limits)}\0${job.source}`;
}

/**
 * The warm modules of one worker: evaluated user modules kept for their next invocation, least
 * recently used first out. A module is taken out while it runs, so a failing invocation simply
 * never puts it back.
 */
export class WarmModules<T> {
  private readonly modules = new Map<string, T>();

  constructor(
    private readonly capacity: number,
    private readonly dispose: (module: T) => void,
  ) {}

  get size(): number {
    return this.modules.size;
  }

  /** Removes and returns the module kept under `key`, if any. */
  take(key: string): T | undefined {
    const module = this.modules.get(key);
    if (module !== undefined) this.modules.delete(key);
    return module;
  }

  /** Keeps `module` under `key`, disposing whatever it replaces and the least recently used beyond capacity. */
  put(key: string, module: T): void {
    const previous = this.modules.get(key);
    this.modules.delete(key);
    if (previous !== undefined && previous !== module) this.dispose(previous);
    this.modules.set(key, module);
    while (this.modules.size > this.capacity) {
      const [oldestKey, oldest] = this.modules.entries().next().value as [string, T];
      this.modules.delete(oldestKey);
      this.dispose(oldest);
    }
  }
}
