import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupRead, sharedRead } from './group-read';

type Row = { org: string; id: string; n: number; tags: string[] };

/** A table read by statements that finish only when the test releases them; rows are read when a statement starts. */
function controlledTable(rows: Row[]) {
  const statements: string[][] = [];
  const releases: Array<() => void> = [];
  const readMany = async (keys: { org: string; id: string }[]) => {
    statements.push(keys.map((k) => k.id));
    const answer = rows.filter((r) => keys.some((k) => k.id === r.id)).map((r) => ({ ...r, tags: [...r.tags] }));
    await new Promise<void>((resolve) => releases.push(resolve));
    return answer;
  };
  const releaseAll = async (count: number) => {
    for (let i = 0; i < count; i++) {
      while (releases.length === 0) await new Promise((r) => setImmediate(r));
      releases.shift()!();
    }
  };
  return { readMany, statements, releaseAll };
}

const belongs = (row: Row, key: { org: string; id: string }) => row.id === key.id && row.org === key.org;

describe('groupRead', () => {
  it('answers lookups queued behind a statement in flight with one statement, each with its own rows', async () => {
    const t = controlledTable([
      { org: 'o1', id: 'a', n: 1, tags: [] },
      { org: 'o1', id: 'b', n: 2, tags: [] },
      { org: 'o1', id: 'b', n: 3, tags: [] },
      { org: 'o2', id: 'c', n: 4, tags: [] },
    ]);
    const read = groupRead(t.readMany, belongs);
    const first = read({ org: 'o1', id: 'a' });
    const rest = [read({ org: 'o1', id: 'b' }), read({ org: 'o1', id: 'c' }), read({ org: 'o2', id: 'c' })];
    await t.releaseAll(2);
    assert.deepEqual(t.statements, [['a'], ['b', 'c', 'c']]);
    assert.deepEqual(
      (await first).map((r) => r.n),
      [1],
    );
    const [b, cOfOtherOrg, c] = await Promise.all(rest);
    assert.deepEqual(
      b.map((r) => r.n),
      [2, 3],
    );
    assert.deepEqual(cOfOtherOrg, [], 'a row of another organization answers nobody');
    assert.deepEqual(
      c.map((r) => r.n),
      [4],
    );
  });

  it('answers every lookup from a statement sent after it was asked (no stale rows)', async () => {
    const rows: Row[] = [{ org: 'o1', id: 'a', n: 1, tags: [] }];
    const t = controlledTable(rows);
    const read = groupRead(t.readMany, belongs);
    const before = read({ org: 'o1', id: 'a' });
    rows[0]!.n = 2; // a write committed while the first statement is in flight
    const after = read({ org: 'o1', id: 'a' });
    await t.releaseAll(2);
    assert.equal((await before)[0]!.n, 1);
    assert.equal((await after)[0]!.n, 2);
  });

  it('gives each caller of one key its own copy of the rows', async () => {
    const t = controlledTable([{ org: 'o1', id: 'a', n: 1, tags: ['x'] }]);
    const read = groupRead(t.readMany, belongs);
    void read({ org: 'o1', id: 'z' });
    const one = read({ org: 'o1', id: 'a' });
    const two = read({ org: 'o1', id: 'a' });
    await t.releaseAll(2);
    const [[r1], [r2]] = await Promise.all([one, two]);
    r1!.tags.push('changed');
    assert.deepEqual(r2!.tags, ['x']);
  });
});

describe('sharedRead', () => {
  it('runs one lookup per distinct key among those queued together', async () => {
    const calls: string[] = [];
    const releases: Array<() => void> = [];
    const read = sharedRead(
      async (key: { user: string }) => {
        calls.push(key.user);
        await new Promise<void>((resolve) => releases.push(resolve));
        return { id: `id-${key.user}` };
      },
      (key) => key.user,
    );
    const first = read({ user: 'U1' });
    const burst = [read({ user: 'U1' }), read({ user: 'U1' }), read({ user: 'U2' })];
    while (releases.length < 1) await new Promise((r) => setImmediate(r));
    releases.shift()!();
    while (releases.length < 2) await new Promise((r) => setImmediate(r));
    releases.splice(0).forEach((release) => release());
    assert.deepEqual(await first, { id: 'id-U1' });
    const [a, b, c] = await Promise.all(burst);
    assert.deepEqual(calls, ['U1', 'U1', 'U2'], 'the first U1 alone, then one U1 for two callers and one U2');
    assert.deepEqual([a, b, c], [{ id: 'id-U1' }, { id: 'id-U1' }, { id: 'id-U2' }]);
    assert.notEqual(a, b, 'each caller gets its own copy');
  });
});
