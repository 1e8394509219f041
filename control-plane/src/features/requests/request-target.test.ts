// Target resolution, table-driven: strategies with targets need one; strategies without take none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntityRecord } from '../../shared/entity-record';
import { resolveTarget } from './request-target';

const entity = (id: string, kind: string, name: string | null, data: Record<string, unknown> = {}): EntityRecord => ({ id, kind, type: 'custom', name, data });
const targets = [entity('t-1', 'access-targets', 'app'), entity('t-2', 'access-targets', 'db'), entity('t-3', 'access-targets', 'other')];
const find = async (kind: string, ref: string, byName = false) => targets.find((t) => t.kind === kind && (t.id === ref || (byName && t.name === ref))) ?? null;
const strategy = (ids: unknown) => entity('s-1', 'access-strategies', 'strategy', ids === undefined ? {} : { targets: ids });

describe('resolveTarget', () => {
  const cases: { name: string; targets: unknown; raw: unknown; target: string | null; error?: RegExp }[] = [
    { name: 'no targets, none given', targets: [], raw: undefined, target: null },
    { name: 'targets missing from the entity, none given', targets: undefined, raw: undefined, target: null },
    { name: 'no targets, one given anyway', targets: [], raw: 'app', target: null, error: /has no targets: leave out target/ },
    { name: 'no targets, null given', targets: [], raw: null, target: null, error: /has no targets/ },
    { name: 'one target, left out', targets: ['t-1'], raw: undefined, target: 't-1' },
    { name: 'one target, named', targets: ['t-1'], raw: 'app', target: 't-1' },
    { name: 'one dangling target, left out', targets: ['t-9'], raw: undefined, target: null, error: /no longer exists/ },
    { name: 'two targets, left out', targets: ['t-1', 't-2'], raw: undefined, target: null, error: /target is required: .* 2 targets/ },
    { name: 'two targets, by id', targets: ['t-1', 't-2'], raw: 't-2', target: 't-2' },
    { name: 'two targets, by name', targets: ['t-1', 't-2'], raw: 'db', target: 't-2' },
    { name: 'two targets, not one of them', targets: ['t-1', 't-2'], raw: 'other', target: null, error: /"other" is not a target/ },
    { name: 'two targets, not a string', targets: ['t-1', 't-2'], raw: 3, target: null, error: /target is required/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { target, error } = await resolveTarget(strategy(c.targets), c.raw, find);
      assert.equal(target?.id ?? null, c.target);
      if (c.error) {
        assert.equal(error?.pointer, '/flow_inputs/target');
        assert.match(error.detail, c.error);
      } else assert.equal(error, undefined);
    });
  }
});
