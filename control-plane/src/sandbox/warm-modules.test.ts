import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WarmModules } from './warm-modules';

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
