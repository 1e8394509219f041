import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { resolveLimits } from './sandbox-limits';
import { WARM_MODULES_PER_WORKER, WarmModules, warmKeyOf } from './warm-modules';
import type { WorkerJob } from './worker-protocol';

describe('WarmModules', () => {
  it('hands a module out once and keeps it only when put back', () => {
    const disposed: string[] = [];
    const warm = new WarmModules<string>(2, (m) => disposed.push(m));
    warm.put('a', 'module-a');
    assert.equal(warm.take('a'), 'module-a');
    assert.equal(warm.take('a'), undefined, 'taken modules are not shared');
    assert.deepEqual(disposed, []);
  });

  it('disposes the least recently used beyond capacity', () => {
    const disposed: string[] = [];
    const warm = new WarmModules<string>(2, (m) => disposed.push(m));
    warm.put('a', 'A');
    warm.put('b', 'B');
    warm.put('a', warm.take('a')!); // a is now the most recent
    warm.put('c', 'C');
    assert.deepEqual(disposed, ['B']);
    assert.equal(warm.size, 2);
    assert.equal(warm.take('a'), 'A');
    assert.equal(warm.take('c'), 'C');
  });

  it('disposes a module it replaces under the same key', () => {
    const disposed: string[] = [];
    const warm = new WarmModules<string>(4, (m) => disposed.push(m));
    warm.put('a', 'old');
    warm.put('a', 'new');
    assert.deepEqual(disposed, ['old']);
    assert.equal(warm.take('a'), 'new');
  });
});

describe('warmKeyOf', () => {
  const job = (over: Partial<WorkerJob> = {}): WorkerJob => ({
    source: 'export function on_request() {}',
    filename: 'impl.js',
    limits: resolveLimits(),
    mode: 'run',
    reuseScope: 'org-a:flow-1',
    ...over,
  });

  it('gives jobs with the same scope, file, limits and source one key, and any difference another', () => {
    const base = warmKeyOf(job())!;
    assert.equal(warmKeyOf(job({ limits: resolveLimits() })), base, 'equal limits in another object');
    const others = [
      job({ reuseScope: 'org-b:flow-1' }),
      job({ filename: 'other.js' }),
      job({ limits: resolveLimits({ cpuMs: 5 }) }),
      job({ source: 'export function on_request() { return 1; }' }),
    ].map((j) => warmKeyOf(j)!);
    assert.equal(new Set([base, ...others]).size, 5);
    // After the scope's key changed, the first inputs still give the first key.
    assert.equal(warmKeyOf(job()), base);
    assert.equal(warmKeyOf(job({ reuseScope: undefined })), undefined);
    assert.equal(warmKeyOf(job({ mode: 'check' })), undefined);
  });

  it('does not rebuild the key of a scope whose inputs did not change (it holds the whole source)', () => {
    const limits = resolveLimits({ memoryBytes: 8 * 1024 * 1024 });
    const first = warmKeyOf(job({ reuseScope: 'org-c:flow-1', limits }));
    const stringify = mock.method(JSON, 'stringify');
    try {
      assert.equal(warmKeyOf(job({ reuseScope: 'org-c:flow-1', limits: { ...limits } })), first);
      assert.equal(stringify.mock.callCount(), 0);
    } finally {
      stringify.mock.restore();
    }
  });

  it('keeps right keys for more scopes than it remembers', () => {
    const scopes = Array.from({ length: WARM_MODULES_PER_WORKER * 3 }, (_, i) => `org-d:flow-${i}`);
    const keys = scopes.map((reuseScope) => warmKeyOf(job({ reuseScope })));
    assert.deepEqual(
      scopes.map((reuseScope) => warmKeyOf(job({ reuseScope }))),
      keys,
    );
    assert.equal(new Set(keys).size, scopes.length);
  });

  it('does not see a limits object changed after its key was made as the same limits', () => {
    const limits = resolveLimits();
    const before = warmKeyOf(job({ reuseScope: 'org-e:flow-1', limits }));
    limits.cpuMs = 7;
    assert.notEqual(warmKeyOf(job({ reuseScope: 'org-e:flow-1', limits })), before);
  });
});
