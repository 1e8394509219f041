// Decides which invocation runs guest code next. Run slots (one per core's worth of worker
// threads) are handed out round-robin across tenants (organizations), so one tenant's backlog
// never stands in front of another's single hook; each tenant may also have only so many
// invocations admitted at once (running, or waiting in host calls). See DECISIONS.md §6.

/** What the scheduler is built with. */
export interface FairSchedulerOptions {
  /** Invocations that may run guest code at the same moment. */
  slots: number;
  /** Invocations of one tenant admitted at once (running or waiting on host calls). */
  perTenant: number;
  /** Whether a new invocation could start now (an idle worker thread is ready). */
  canStart(): boolean;
  /** Called after each scheduling round, so the pool can start threads for starts that wait for one. */
  afterPump?(): void;
}

/** A request for a run slot: a new invocation (`start`) or one whose host call answered (`resume`). */
interface Entry {
  kind: 'start' | 'resume';
  grant(): void;
  reject(error: Error): void;
}

interface Tenant {
  admitted: number;
  waiting: Entry[];
}

/** Round-robin over tenants with a per-tenant cap; resumptions go before a tenant's new starts. */
export class FairScheduler {
  private readonly tenants = new Map<string, Tenant>();
  /** Tenants with admitted or waiting invocations, in service order; the next pick starts at `cursor`. */
  private ring: string[] = [];
  private cursor = 0;
  private running = 0;

  constructor(private readonly options: FairSchedulerOptions) {}

  /** Asks for a run slot for a new invocation of `tenant`; `grant` runs once it is admitted. */
  start(tenant: string, grant: () => void, reject: (error: Error) => void): void {
    this.enqueue(tenant, { kind: 'start', grant, reject });
  }

  /** Asks for a run slot again for an admitted invocation whose host call has answered. */
  resume(tenant: string, grant: () => void): void {
    this.enqueue(tenant, { kind: 'resume', grant, reject: () => undefined });
  }

  /** The invocation holding a run slot now waits on a host call: its slot goes to someone else. */
  pause(): void {
    this.running--;
    this.pump();
  }

  /** An admitted invocation ended; `holdingSlot` says whether it was running guest code. */
  finish(tenant: string, holdingSlot: boolean): void {
    if (holdingSlot) this.running--;
    const state = this.tenants.get(tenant);
    if (state) {
      state.admitted--;
      this.forgetIfIdle(tenant, state);
    }
    this.pump();
  }

  /**
   * How many waiting starts could run now if there were idle worker threads: bounded by the free
   * run slots and by each tenant's cap. The pool starts threads up to this number.
   */
  startsWaitingForThread(): number {
    // Asked after every scheduling round: with every run slot taken (the usual case under load) the answer is 0 at once.
    const free = this.options.slots - this.running;
    if (free <= 0) return 0;
    let count = 0;
    for (const [, state] of this.tenants) {
      let starts = 0;
      for (const entry of state.waiting) if (entry.kind === 'start') starts++;
      count += Math.min(starts, Math.max(0, this.options.perTenant - state.admitted));
    }
    return Math.min(count, free);
  }

  /** Number of invocations running guest code, and admitted per tenant (for tests and metrics). */
  snapshot(): { running: number; admitted: Record<string, number>; waiting: number } {
    const admitted: Record<string, number> = {};
    let waiting = 0;
    for (const [name, state] of this.tenants) {
      admitted[name] = state.admitted;
      waiting += state.waiting.length;
    }
    return { running: this.running, admitted, waiting };
  }

  /** Fails every waiting start (the sandbox is closing, or no worker can start); resumptions stay. */
  rejectAll(error: Error): void {
    const rejected: Entry[] = [];
    for (const [name, state] of [...this.tenants]) {
      rejected.push(...state.waiting.filter((e) => e.kind === 'start'));
      state.waiting = state.waiting.filter((e) => e.kind !== 'start');
      this.forgetIfIdle(name, state);
    }
    for (const entry of rejected) entry.reject(error);
  }

  /** Hands out free run slots, one tenant at a time in ring order; call when anything changed. */
  pump(): void {
    this.grant();
    this.options.afterPump?.();
  }

  private grant(): void {
    while (this.running < this.options.slots) {
      let granted = false;
      for (let step = 0; step < this.ring.length && !granted; step++) {
        const index = (this.cursor + step) % this.ring.length;
        const state = this.tenants.get(this.ring[index])!;
        const at = this.eligible(state);
        if (at < 0) continue;
        const [entry] = state.waiting.splice(at, 1);
        this.running++;
        if (entry.kind === 'start') state.admitted++;
        // The next pick begins with the tenant after this one (tenants that join later are
        // appended, so they come before this one's next turn).
        this.cursor = index + 1;
        granted = true;
        entry.grant();
      }
      if (!granted) return;
    }
  }

  private enqueue(tenant: string, entry: Entry): void {
    let state = this.tenants.get(tenant);
    if (!state) {
      this.tenants.set(tenant, (state = { admitted: 0, waiting: [] }));
      this.ring.push(tenant);
    }
    state.waiting.push(entry);
    this.pump();
  }

  /** Index of the entry `state` would run next: its first resumption, else its first start if allowed. */
  private eligible(state: Tenant): number {
    const resume = state.waiting.findIndex((e) => e.kind === 'resume');
    if (resume >= 0) return resume;
    if (state.admitted >= this.options.perTenant || !this.options.canStart()) return -1;
    return state.waiting.findIndex((e) => e.kind === 'start');
  }

  /** Drops a tenant with nothing admitted or waiting, keeping the cursor on the same next tenant. */
  private forgetIfIdle(name: string, state: Tenant): void {
    if (state.admitted > 0 || state.waiting.length > 0) return;
    this.tenants.delete(name);
    const index = this.ring.indexOf(name);
    this.ring.splice(index, 1);
    if (index < this.cursor) this.cursor--;
  }
}
