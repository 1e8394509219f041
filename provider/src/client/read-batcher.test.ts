import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createReadBatcher } from './read-batcher';

type Entity = { id: string; name: string };

/** A list function over a fixed set, recording each call; calls finish when released (or at once). */
function fakeList(existing: Entity[], opts: { hold?: boolean; fail?: Error } = {}) {
  const calls: Array<{ kind: string; ids: string[] }> = [];
  const releases: Array<() => void> = [];
  const list = async (kind: string, ids: string[]) => {
    calls.push({ kind, ids });
    if (opts.hold) await new Promise<void>((r) => releases.push(r));
    if (opts.fail) throw opts.fail;
    return existing.filter((e) => ids.includes(e.id.toLowerCase()));
  };
  return { list, calls, releases };
}

const entities: Entity[] = Array.from({ length: 5 }, (_, i) => ({ id: `ID-${i}`, name: `e${i}` }));

describe('createReadBatcher', () => {
  it('answers reads made in one turn with one list call per kind; missing ids read as null', async () => {
    const fake = fakeList(entities);
    const read = createReadBatcher(fake.list, { maxBatch: 100, maxInFlight: 2 });
    const results = await Promise.all([read('targets', 'id-0'), read('targets', 'ID-3'), read('targets', 'gone'), read('flows', 'id-1')]);
    assert.deepEqual(
      results.map((r) => r?.name ?? null),
      ['e0', 'e3', null, 'e1'],
    );
    assert.deepEqual(fake.calls, [
      { kind: 'targets', ids: ['id-0', 'id-3', 'gone'] },
      { kind: 'flows', ids: ['id-1'] },
    ]);
  });

  it('splits at maxBatch and queues reads behind list calls in flight', async () => {
    const fake = fakeList(entities, { hold: true });
    const read = createReadBatcher(fake.list, { maxBatch: 2, maxInFlight: 1 });
    const first = ['id-0', 'id-1', 'id-2'].map((id) => read('targets', id));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      fake.calls.map((c) => c.ids),
      [['id-0', 'id-1']],
    );
    const later = read('targets', 'id-4');
    fake.releases.shift()!();
    while (fake.releases.length === 0) await new Promise((r) => setImmediate(r));
    fake.releases.shift()!();
    assert.deepEqual(
      (await Promise.all([...first, later])).map((r) => r?.name),
      ['e0', 'e1', 'e2', 'e4'],
    );
    assert.deepEqual(
      fake.calls.map((c) => c.ids),
      [
        ['id-0', 'id-1'],
        ['id-2', 'id-4'],
      ],
    );
  });

  it('rejects every read of a failed list call with its error', async () => {
    const fake = fakeList(entities, { fail: new Error('401 bad token') });
    const read = createReadBatcher(fake.list, { maxBatch: 100, maxInFlight: 1 });
    const outcomes = await Promise.allSettled([read('targets', 'id-0'), read('targets', 'id-1')]);
    assert.deepEqual(
      outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : 'ok')),
      ['401 bad token', '401 bad token'],
    );
  });
});
