import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImportId } from './import-id';

const UUID = '0b7d7f1e-3c1a-4c5e-9f51-2f1f3b8a9c10';

describe('parseImportId', () => {
  const cases: [Parameters<typeof parseImportId>[0], string, ReturnType<typeof parseImportId>['by'], Record<string, unknown>][] = [
    [{ by: 'name' }, UUID, 'id', { id: UUID }],
    [{ by: 'name' }, 'approval', 'slug', { slug: 'approval' }],
    [{ by: 'type_name' }, 'slack:my-slack', 'slug', { type: 'slack', slug: 'my-slack' }],
    [{ by: 'type_name' }, 'custom:a:b', 'slug', { type: 'custom', slug: 'a:b' }],
    [{ by: 'type_name' }, 'no-colon', 'invalid', {}],
    [{ by: 'path' }, 'CUSTOM_API_KEY', 'slug', { slug: 'CUSTOM_API_KEY' }],
    [{ by: 'singleton' }, 'anything', 'singleton', {}],
    [{ by: 'id' }, 'not-a-uuid', 'invalid', {}],
    [{ by: 'id' }, ` ${UUID} `, 'id', { id: UUID }],
  ];
  for (const [identity, raw, by, fields] of cases) {
    it(`${identity.by}: "${raw}" → ${by}`, () => {
      const got = parseImportId(identity, raw);
      assert.equal(got.by, by);
      for (const [k, v] of Object.entries(fields)) assert.equal((got as Record<string, unknown>)[k], v);
    });
  }
});
