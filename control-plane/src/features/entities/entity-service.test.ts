import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceSpec } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import { createFakeAuditLog } from '../audit/audit-log';
import { createEntityService } from './entity-service';
import { createEntityValidator } from './entity-validator';
import { createFakeEntityStore } from './fake-entity-store';

// Local specs keep these tests about the rules, not about today's resource list.
const thing: ResourceSpec = {
  typeName: 'sym_thing',
  kind: 'runtimes',
  description: 'test',
  version: 0,
  identity: { by: 'name' },
  attributes: {
    id: { type: 'string', presence: 'computed', description: 'id' },
    name: { type: 'string', presence: 'required', description: 'n' },
    label: { type: 'string', presence: 'optional', description: 'l' },
    enabled: { type: 'bool', presence: 'optional_computed', default: true, description: 'e' },
  },
  example: '',
  importExamples: [],
};
const user: ResourceSpec = {
  typeName: 'sym_user_of_thing',
  kind: 'environments',
  description: 'test',
  version: 0,
  identity: { by: 'type_name' },
  attributes: {
    id: { type: 'string', presence: 'computed', description: 'id' },
    type: { type: 'string', presence: 'required', description: 't', oneOf: ['a', 'b'] },
    name: { type: 'string', presence: 'required', description: 'n' },
    thing_ids: { type: { map: 'string' }, presence: 'optional', description: 'r', references: 'runtimes' },
  },
  blocks: {
    inner: { nesting: 'list', description: 'b', attributes: { thing_id: { type: 'string', presence: 'required', description: 'r', references: 'runtimes' } } },
  },
  example: '',
  importExamples: [],
};

const source: ResourceSpec = {
  typeName: 'sym_source_of_thing',
  kind: 'secret-sources',
  description: 'test',
  version: 0,
  identity: { by: 'name' },
  attributes: { id: { type: 'string', presence: 'computed', description: 'id' }, name: { type: 'string', presence: 'required', description: 'n' } },
  example: '',
  importExamples: [],
};
const secretLike: ResourceSpec = {
  typeName: 'sym_secret_of_thing',
  kind: 'secrets',
  description: 'test',
  version: 0,
  identity: { by: 'path' },
  attributes: {
    id: { type: 'string', presence: 'computed', description: 'id' },
    path: { type: 'string', presence: 'required', description: 'p' },
    source_id: { type: 'string', presence: 'required', description: 's', references: 'secret-sources' },
    settings: { type: { map: 'string' }, presence: 'optional', description: 'json_key' },
  },
  example: '',
  importExamples: [],
};

const setup = () => {
  const store = createFakeEntityStore();
  const audit = createFakeAuditLog();
  // Neither spec has code attributes, so no source ever reaches the sandbox check.
  const validator = createEntityValidator([thing, user, source, secretLike], { checkSource: async () => assert.fail('no code to check') });
  let n = 0;
  const liveRequests = { liveRequestsUsing: async () => ({ count: 0, requests: [] }) };
  const specOf = (kind: string) => [thing, user, source, secretLike].find((s) => s.kind === kind);
  const service = createEntityService({ store, validator, audit, liveRequests, specOf, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
  return { store, audit, validator, service };
};
const actor = { orgId: 'org-1', tokenId: 'tok-1' };
const otherOrg = { orgId: 'org-2', tokenId: 'tok-2' };

const rejects = async (p: Promise<unknown>, code: string, pointer?: string) => {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, code);
    if (pointer !== undefined) assert.equal(err.errors[0]?.pointer, pointer);
    return true;
  });
};

describe('entity service (fake store)', () => {
  it('fills defaults and nulls, and audits', async () => {
    const { service, audit } = setup();
    const e = await service.create(actor, thing, { name: 'One' });
    assert.deepEqual(
      { ...e, created_at: undefined, updated_at: undefined },
      {
        id: '00000000-0000-4000-8000-000000000001',
        name: 'One',
        label: null,
        enabled: true,
        created_at: undefined,
        updated_at: undefined,
      },
    );
    assert.deepEqual(
      audit.events.map((x) => x.type),
      ['entity.created'],
    );
  });

  it('keys names per identity rule, case-insensitively, per org', async () => {
    const { service } = setup();
    await service.create(actor, thing, { name: 'One' });
    await rejects(service.create(actor, thing, { name: 'ONE' }), 'duplicate_name', '/name');
    await service.create(otherOrg, thing, { name: 'one' });
    await service.create(actor, user, { type: 'a', name: 'x' });
    await service.create(actor, user, { type: 'b', name: 'x' });
    await rejects(service.create(actor, user, { type: 'a', name: 'X' }), 'duplicate_name', '/name');
  });

  it('checks references in maps and list blocks, within the org and kind', async () => {
    const { service } = setup();
    const mine = await service.create(actor, thing, { name: 'mine' });
    const theirs = await service.create(otherOrg, thing, { name: 'theirs' });
    await service.create(actor, user, { type: 'a', name: 'ok', thing_ids: { k: mine.id }, inner: [{ thing_id: mine.id }] });
    await rejects(service.create(actor, user, { type: 'a', name: 'x', thing_ids: { k: theirs.id } }), 'reference_not_found', '/thing_ids/k');
    await rejects(service.create(actor, user, { type: 'a', name: 'y', inner: [{ thing_id: mine.id }, { thing_id: 'nope' }] }), 'reference_not_found', '/inner/1/thing_id');
  });

  it('refuses to delete what a required attribute refers to, naming the referrer', async () => {
    const { service, store } = setup();
    const mine = await service.create(actor, thing, { name: 'mine' });
    const u = await service.create(actor, user, { type: 'a', name: 'holder', thing_ids: { k: mine.id }, inner: [{ thing_id: mine.id }] });
    await assert.rejects(service.remove(actor, thing, mine.id), (err: ApiError) => err.code === 'still_referenced' && err.detail.includes(`"holder" (${u.id})`));
    assert.deepEqual(store.records.get(u.id)!.data.thing_ids, { k: mine.id }, 'a refused delete detaches nothing');
    await service.remove(actor, user, u.id);
    await service.remove(actor, thing, mine.id);
    await rejects(service.get(actor, thing, mine.id), 'not_found');
  });

  it('deletes what only optional attributes refer to, clearing those references (Terraform deletes before it updates the referrer)', async () => {
    const { service, store, audit } = setup();
    const old = await service.create(actor, thing, { name: 'old' });
    const kept = await service.create(actor, thing, { name: 'kept' });
    const u = await service.create(actor, user, { type: 'a', name: 'holder', thing_ids: { slack_id: old.id, other_id: kept.id } });
    await service.remove(actor, thing, old.id);
    await rejects(service.get(actor, thing, old.id), 'not_found');
    assert.deepEqual((await service.get(actor, user, u.id)).thing_ids, { other_id: kept.id }, 'the map loses the deleted id only');
    assert.deepEqual(
      store.refs.get(u.id)!.map((r) => r.toId),
      [kept.id],
    );
    assert.deepEqual(
      audit.events.slice(-2).map((e) => [e.type, e.entityId]),
      [
        ['entity.updated', u.id],
        ['entity.deleted', old.id],
      ],
    );
    // The update Terraform runs next names the new object; nothing stale is left behind.
    const fresh = await service.create(actor, thing, { name: 'new' });
    assert.deepEqual((await service.update(actor, user, u.id, { thing_ids: { slack_id: fresh.id, other_id: kept.id } })).thing_ids, { slack_id: fresh.id, other_id: kept.id });
  });

  it('a live access request still blocks the delete, and nothing is detached', async () => {
    const { store, validator, audit } = setup();
    const liveRequests = { liveRequestsUsing: async () => ({ count: 1, requests: [{ id: 'req-1', state: 'active' }] }) };
    const specOf = (kind: string) => [thing, user].find((s) => s.kind === kind);
    const service = createEntityService({ store, validator, audit, liveRequests, specOf });
    const mine = await service.create(actor, thing, { name: 'mine' });
    const u = await service.create(actor, user, { type: 'a', name: 'holder', thing_ids: { k: mine.id } });
    await rejects(service.remove(actor, thing, mine.id), 'still_referenced');
    assert.deepEqual((await service.get(actor, user, u.id)).thing_ids, { k: mine.id });
  });

  it('merges PATCH bodies, restores defaults on null and keeps type', async () => {
    const { service } = setup();
    const e = await service.create(actor, thing, { name: 'n', label: 'L', enabled: false });
    const p1 = await service.update(actor, thing, e.id, { label: 'M' });
    assert.equal(p1.enabled, false);
    assert.equal(p1.label, 'M');
    const p2 = await service.update(actor, thing, e.id, { enabled: null, label: null });
    assert.equal(p2.enabled, true);
    assert.equal(p2.label, null);
    await rejects(service.update(actor, thing, e.id, { name: null }), 'validation_failed', '/name');
    const u = await service.create(actor, user, { type: 'a', name: 'u' });
    await rejects(service.update(actor, user, u.id, { type: 'b' }), 'validation_failed', '/type');
    await rejects(service.update(otherOrg, thing, e.id, { label: 'x' }), 'not_found');
  });

  it('maps a uniqueness race lost in the store to duplicate_name', async () => {
    const { service, store } = setup();
    await service.create(actor, thing, { name: 'race' });
    // Simulate the check passing while a concurrent insert wins.
    const original = store.findByNaturalKey;
    store.findByNaturalKey = async () => null;
    await rejects(service.create(actor, thing, { name: 'RACE' }), 'duplicate_name', '/name');
    store.findByNaturalKey = original;
  });

  it('keys secrets by source, path and json_key: one path with different keys is two secrets (as in Sym)', async () => {
    const { service } = setup();
    const src = await service.create(actor, source, { name: 'aws' });
    const other = await service.create(actor, source, { name: 'other' });
    await service.create(actor, secretLike, { path: 'okta/creds', source_id: src.id, settings: { json_key: 'client_id' } });
    await service.create(actor, secretLike, { path: 'okta/creds', source_id: src.id, settings: { json_key: 'client_secret' } });
    await service.create(actor, secretLike, { path: 'okta/creds', source_id: src.id });
    await service.create(actor, secretLike, { path: 'okta/creds', source_id: other.id, settings: { json_key: 'client_id' } });
    // The same path and key in the same source is the same value twice.
    await rejects(service.create(actor, secretLike, { path: 'OKTA/creds', source_id: src.id, settings: { json_key: 'client_id' } }), 'duplicate_name', '/path');
    await rejects(service.create(actor, secretLike, { path: 'okta/creds', source_id: src.id, settings: {} }), 'duplicate_name', '/path');
  });

  it("stores a caseInsensitive name lowercased, as Sym's API does, and reads older rows the same way", async () => {
    const { service, store } = setup();
    const named: ResourceSpec = { ...thing, attributes: { ...thing.attributes, name: { ...thing.attributes.name!, caseInsensitive: true } } };
    const e = await service.create(actor, named, { name: 'My-Runtime' });
    assert.equal(e.name, 'my-runtime');
    assert.equal(store.records.get(e.id)!.data.name, 'my-runtime');
    assert.equal((await service.update(actor, named, e.id, { name: 'Other-NAME' })).name, 'other-name');
    store.records.get(e.id)!.data.name = 'Written-Before';
    assert.equal((await service.get(actor, named, e.id)).name, 'written-before');
  });
});
