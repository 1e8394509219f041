import type { SandboxLimits } from './sandbox-limits';
import type { WorkerJob } from './worker-protocol';

/** Evaluated modules one worker keeps (least recently used out beyond this). */
export const WARM_MODULES_PER_WORKER = 8;

/**
 * Scopes whose last key {@link warmKeyOf} remembers, the oldest forgotten beyond this: as many as
 * a worker keeps modules, since each entry holds a source (up to the 1 MB body limit) and a
 * worker's heap is capped.
 */
const REMEMBERED_SCOPES = WARM_MODULES_PER_WORKER;

/** The last key built for each scope, with what it was built from. */
const lastKeys = new Map<string, { filename: string; limits: SandboxLimits; source: string; key: string }>();

/** Whether two limits objects hold the same values (the key's JSON would then say the same). */
function sameLimits(a: SandboxLimits, b: SandboxLimits): boolean {
  if (a === b) return true;
  let fields = 0;
  for (const key in a) {
    if (a[key as keyof SandboxLimits] !== b[key as keyof SandboxLimits]) return false;
    fields++;
  }
  for (const _ in b) fields--;
  return fields === 0;
}

/** The key of a job's warm module: same scope, file, limits and source, or none. */
export function warmKeyOf(job: WorkerJob): string | undefined {
  if (job.mode !== 'run' || !job.reuseScope) return undefined;
  // The key holds the whole source; every warm call of a scope would otherwise build (and the
  // lookups hash) it again, so the last one per scope is reused while its inputs are unchanged.
  const last = lastKeys.get(job.reuseScope);
  if (last && last.source === job.source && last.filename === job.filename && sameLimits(last.limits, job.limits)) return last.key;
  const key = `${job.reuseScope}\0${job.filename}\0${JSON.stringify(job.limits)}\0${job.source}`;
  lastKeys.delete(job.reuseScope);
  // Frozen limits (the sandbox's defaults) are kept as they are: the next job's are then the same object.
  lastKeys.set(job.reuseScope, { filename: job.filename, limits: Object.isFrozen(job.limits) ? job.limits : { ...job.limits }, source: job.source, key });
  if (lastKeys.size > REMEMBERED_SCOPES) lastKeys.delete(lastKeys.keys().next().value!);
  return key;
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
