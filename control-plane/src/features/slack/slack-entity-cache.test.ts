import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntityRecord } from '../../shared/entity-record';
import { cachedEntities } from './slack-entity-cache';

describe('Slack entity cache', () => {
  const counting = () => {
    const reads: string[] = [];
    let fail = false;
    return {
      reads,
      failNext: () => (fail = true),
      reader: {
        async findById(orgId: string, kind: string, id: string) {
          reads.push(`${kind}:${id}`);
          if (fail) {
            fail = false;
            throw new Error('database away');
          }
          return { id, kind, data: { label: `v${reads.length}` } } as unknown as EntityRecord;
        },
        async list() {
          return [];
        },
      },
    };
  };

  it('reads a flow once for a burst of renders, and again after forget() (an entity changed)', async () => {
    const db = counting();
    const entities = cachedEntities(db.reader);
    const burst = await Promise.all(Array.from({ length: 20 }, () => entities.findById('org', 'flows', 'f1')));
    assert.equal(db.reads.length, 1);
    assert.ok(burst.every((f) => f?.data.label === 'v1'));
    await entities.findById('org', 'environments', 'f1');
    assert.deepEqual(db.reads, ['flows:f1', 'environments:f1']);
    entities.forget();
    assert.equal((await entities.findById('org', 'flows', 'f1'))?.data.label, 'v3');
  });

  it('does not keep a failed read', async () => {
    const db = counting();
    const entities = cachedEntities(db.reader);
    db.failNext();
    await assert.rejects(entities.findById('org', 'flows', 'f1'), /database away/);
    assert.equal((await entities.findById('org', 'flows', 'f1'))?.data.label, 'v2');
  });
});
