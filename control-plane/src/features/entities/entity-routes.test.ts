import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EntityKind } from '@opensym/schemas';
import { SLACK_SETTINGS, validBodies } from '../../test-support/entity-fixtures';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';

const base = '/api/v1/entities';
let t: TestControlPlane;
let n = 0;

const post = (kind: string, body: unknown, token = t.admin) =>
  t.request
    .post(`${base}/${kind}`)
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);
const patch = (kind: string, id: string, body: unknown, token = t.admin) =>
  t.request
    .patch(`${base}/${kind}/${id}`)
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);
const get = (path: string, token = t.admin) => t.request.get(`${base}/${path}`).set('Authorization', `Bearer ${token}`);
const del = (kind: string, id: string, token = t.admin) => t.request.delete(`${base}/${kind}/${id}`).set('Authorization', `Bearer ${token}`);
const create = async (kind: EntityKind, body: Record<string, unknown>, token = t.admin): Promise<string> => {
  const res = await post(kind, body, token);
  assert.equal(res.status, 201, `${kind}: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
};
const unique = () => `u${++n}`;
const HOOKS = 'export function on_request() {}';
const FILTER = 'export function get_flows(user, flows) { return flows; }';

before(async () => {
  t = await startTestControlPlane();
});
after(async () => {
  await t?.close();
});

describe('entities API (PGlite)', () => {
  it('creates, reads, lists, patches and deletes every kind', async () => {
    const bodies = await validBodies(create, unique());
    for (const [kind, body] of Object.entries(bodies)) {
      if (kind === 'flows-filter') {
        // singleton: remove whatever the fixtures left so the create below is the first one
        for (const e of (await get(kind)).body.data) assert.equal((await del(kind, e.id)).status, 204);
      }
      const created = await post(kind, body);
      assert.equal(created.status, 201, `${kind}: ${JSON.stringify(created.body)}`);
      assert.match(created.body.id, /^[0-9a-f-]{36}$/);
      assert.ok(created.body.created_at && created.body.updated_at);
      for (const [k, v] of Object.entries(body)) {
        if (typeof v !== 'object') assert.deepEqual(created.body[k], v, `${kind}.${k}`);
      }
      const read = await get(`${kind}/${created.body.id}`);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body, created.body);
      const list = await get(kind);
      assert.ok(
        list.body.data.some((e: { id: string }) => e.id === created.body.id),
        `${kind} listed`,
      );
      const patched = await patch(kind, created.body.id, 'label' in created.body ? { label: 'Changed' } : {});
      assert.equal(patched.status, 200, `${kind}: ${JSON.stringify(patched.body)}`);
      if ('label' in created.body) assert.equal(patched.body.label, 'Changed');
      assert.equal((await del(kind, created.body.id)).status, 204, kind);
      assert.equal((await get(`${kind}/${created.body.id}`)).status, 404);
    }
  });

  it('returns every attribute with nulls for unset ones and defaults applied', async () => {
    const env = await create('environments', { name: `e-${unique()}` });
    const flow = await post('flows', { name: `f-${unique()}`, implementation: HOOKS, environment_id: env, params: { prompt_field: [{ name: 'why', type: 'string' }] } });
    assert.equal(flow.status, 201);
    assert.equal(flow.body.label, null);
    assert.equal(flow.body.vars, null);
    assert.equal(flow.body.params.allow_revoke, true);
    assert.equal(flow.body.params.schedule_deescalation, true);
    assert.equal(flow.body.params.include_decision_message, false);
    assert.equal(flow.body.params.strategy_id, null);
    assert.deepEqual(flow.body.params.prompt_field[0], {
      name: 'why',
      type: 'string',
      label: null,
      required: true,
      default: null,
      visible: true,
      allowed_values: null,
      prefetch: false,
      on_change: null,
    });
    const bare = await post('flows', { name: `f-${unique()}`, implementation: HOOKS, environment_id: env });
    assert.equal(bare.body.params, null);
  });

  it('rejects wrong types, missing required attributes and bad enums with field pointers', async () => {
    const res = await post('flows', { name: 5, implementation: HOOKS, params: { prompt_field: [{ name: 'a', type: 'nope' }] }, extra: 1 });
    assert.equal(res.status, 422);
    assert.match(res.headers['content-type'], /application\/problem\+json/);
    assert.equal(res.body.code, 'validation_failed');
    const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer).sort();
    assert.deepEqual(pointers, ['/environment_id', '/extra', '/name', '/params/prompt_field/0/type']);
    const bad = await post('integrations', { type: 'carrier_pigeon', name: 'x', external_id: 'y' });
    assert.equal(bad.status, 422);
    assert.deepEqual(
      bad.body.errors.map((e: { pointer: string }) => e.pointer),
      ['/type'],
    );
    assert.match(bad.body.errors[0].detail, /must be one of/);
  });

  it('checks cross-field rules', async () => {
    const env = await create('environments', { name: `e-${unique()}` });
    const res = await post('flows', { name: `f-${unique()}`, implementation: HOOKS, environment_id: env, params: { allow_revoke: false, schedule_deescalation: false } });
    assert.equal(res.status, 422);
    assert.equal(res.body.errors[0].pointer, '/params/allow_revoke');
  });

  it('rejects duplicate names case-insensitively, per type where the kind has one', async () => {
    const name = `Dup-${unique()}`;
    await create('runtimes', { name });
    const dup = await post('runtimes', { name: name.toUpperCase() });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, 'duplicate_name');
    assert.deepEqual(dup.body.errors, [{ pointer: '/name', detail: 'is already taken' }]);
    await create('integrations', { type: 'custom', name, external_id: 'a' });
    await create('integrations', { type: 'pagerduty', name, external_id: 'a' });
    assert.equal((await post('integrations', { type: 'custom', name: name.toLowerCase(), external_id: 'b' })).status, 409);
    // another organization may use the same name
    assert.equal((await post('runtimes', { name }, t.otherAdmin)).status, 201);
  });

  it('keeps secret paths unique per source and singletons unique per org', async () => {
    const s1 = await create('secret-sources', { type: 'env', name: `s-${unique()}` });
    const s2 = await create('secret-sources', { type: 'env', name: `s-${unique()}` });
    await create('secrets', { path: 'TOKEN', source_id: s1 });
    await create('secrets', { path: 'TOKEN', source_id: s2 });
    const dup = await post('secrets', { path: 'token', source_id: s1 });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.errors[0].pointer, '/path');
    const bySlug = await get('secrets?slug=TOKEN');
    assert.equal(bySlug.body.data.length, 2);
    const filterOrg = await post('flows-filter', { implementation: FILTER }, t.otherAdmin);
    assert.equal(filterOrg.status, 201);
    assert.equal((await post('flows-filter', { implementation: FILTER }, t.otherAdmin)).status, 409);
  });

  it("finds error loggers and log destinations by Sym's derived slug (`?slug=`), for import", async () => {
    const slack = await create('integrations', { type: 'slack', name: `slack-${unique()}`, external_id: 'T1', settings: SLACK_SETTINGS });
    const channel = `Errors-${unique()}`;
    const logger = await create('error-loggers', { integration_id: slack, destination: `#${channel}` });
    for (const slug of [channel.toLowerCase(), `#${channel}`]) {
      const found = await get(`error-loggers?slug=${encodeURIComponent(slug)}`);
      assert.deepEqual(
        found.body.data.map((e: { id: string }) => e.id),
        [logger],
        slug,
      );
    }
    const stream = `Stream-${unique()}`;
    const dest = await create('log-destinations', { type: 'http', settings: { url: `https://logs.example.com/${stream}` } });
    const byUrl = await get(`log-destinations?type=http&slug=${encodeURIComponent(`https://logs.example.com/${stream}`)}`);
    assert.deepEqual(
      byUrl.body.data.map((e: { id: string }) => e.id),
      [dest],
    );
  });

  it('rejects unknown, wrong-kind and cross-org references at the field', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const res = await post('environments', { name: `e-${unique()}`, runtime_id: missing, integrations: { slack_id: 'not-a-uuid' } });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'reference_not_found');
    assert.deepEqual(res.body.errors.map((e: { pointer: string }) => e.pointer).sort(), ['/integrations/slack_id', '/runtime_id']);
    const foreignRuntime = await create('runtimes', { name: `r-${unique()}` }, t.otherAdmin);
    const cross = await post('environments', { name: `e-${unique()}`, runtime_id: foreignRuntime });
    assert.equal(cross.status, 422);
    assert.equal(cross.body.errors[0].pointer, '/runtime_id');
    const integration = await create('integrations', { type: 'custom', name: `i-${unique()}`, external_id: 'x' });
    const wrongKind = await post('environments', { name: `e-${unique()}`, runtime_id: integration });
    assert.equal(wrongKind.status, 422);
    const env = await create('environments', { name: `e-${unique()}` });
    const nested = await post('flows', { name: `f-${unique()}`, implementation: HOOKS, environment_id: env, params: { strategy_id: missing } });
    assert.equal(nested.status, 422);
    assert.equal(nested.body.errors[0].pointer, '/params/strategy_id');
    const target = await create('access-targets', { type: 'custom', name: `t-${unique()}` });
    const listRef = await post('access-strategies', { type: 'custom', name: `s-${unique()}`, targets: [target, missing] });
    assert.equal(listRef.status, 422);
    assert.equal(listRef.body.errors[0].pointer, '/targets/1');
  });

  it('refuses to delete an entity a required attribute refers to, naming the referrers', async () => {
    const env = await create('environments', { name: `e-${unique()}` });
    const flowName = `f-${unique()}`;
    const flow = await create('flows', { name: flowName, implementation: HOOKS, environment_id: env });
    const res = await del('environments', env);
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'still_referenced');
    assert.match(res.body.detail, new RegExp(`flows "${flowName}" \\(${flow}\\)`));
    // removing the referrer frees it
    assert.equal((await del('flows', flow)).status, 204);
    assert.equal((await del('environments', env)).status, 204);
  });

  it("deletes an integration an environment still names, clearing the environment's reference (Sym's TestAccSymEnvironment_basic order)", async () => {
    // Terraform's order when the configuration moves the environment to a new integration and
    // drops the old one: create the new, delete the old, then update the environment.
    const old = await create('integrations', { type: 'slack', name: `old-${unique()}`, external_id: 'T1', settings: SLACK_SETTINGS });
    const runtime = await create('runtimes', { name: `r-${unique()}` });
    const env = await create('environments', { name: `e-${unique()}`, runtime_id: runtime, integrations: { slack_id: old } });
    const fresh = await create('integrations', { type: 'slack', name: `new-${unique()}`, external_id: 'T2', settings: SLACK_SETTINGS });
    assert.equal((await del('integrations', old)).status, 204);
    const after = await get(`environments/${env}`);
    assert.deepEqual(after.body.integrations, {}, 'the deleted id is gone from the map');
    assert.equal(after.body.runtime_id, runtime, 'other references stay');
    const updated = await patch('environments', env, { integrations: { slack_id: fresh } });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    // An optional single reference is cleared the same way.
    assert.equal((await del('runtimes', runtime)).status, 204);
    assert.equal((await get(`environments/${env}`)).body.runtime_id, null);
  });

  it('enforces references in the database too', async () => {
    const runtime = await create('runtimes', { name: `r-${unique()}` });
    await create('environments', { name: `e-${unique()}`, runtime_id: runtime });
    await assert.rejects(t.cp.db.prisma.entity.delete({ where: { id: runtime } }));
  });

  it('PATCH merges, clears with null, revalidates and keeps type immutable', async () => {
    const integration = await create('integrations', { type: 'custom', name: `i-${unique()}`, external_id: 'x', label: 'L', settings: { a: '1' } });
    const merged = await patch('integrations', integration, { external_id: 'y' });
    assert.equal(merged.status, 200);
    assert.equal(merged.body.label, 'L');
    assert.equal(merged.body.external_id, 'y');
    assert.deepEqual(merged.body.settings, { a: '1' });
    const cleared = await patch('integrations', integration, { label: null });
    assert.equal(cleared.body.label, null);
    const requiredNull = await patch('integrations', integration, { name: null });
    assert.equal(requiredNull.status, 422);
    assert.equal(requiredNull.body.errors[0].pointer, '/name');
    const typeChange = await patch('integrations', integration, { type: 'pagerduty' });
    assert.equal(typeChange.status, 422);
    assert.equal(typeChange.body.errors[0].pointer, '/type');
    const sameType = await patch('integrations', integration, { type: 'custom' });
    assert.equal(sameType.status, 200);
    const badRef = await patch('environments', await create('environments', { name: `e-${unique()}` }), { runtime_id: '00000000-0000-4000-8000-000000000001' });
    assert.equal(badRef.status, 422);
    assert.equal(badRef.body.code, 'reference_not_found');
    const other = await create('integrations', { type: 'custom', name: `taken-${unique()}`, external_id: 'x' });
    const rename = await patch('integrations', integration, { name: (await get(`integrations/${other}`)).body.name.toUpperCase() });
    assert.equal(rename.status, 409);
    assert.ok(Date.parse(merged.body.updated_at) >= Date.parse(merged.body.created_at));
  });

  it('PATCH of a cleared defaulted attribute restores the default; blocks are replaced whole', async () => {
    const env = await create('environments', { name: `e-${unique()}` });
    const flow = await create('flows', { name: `f-${unique()}`, implementation: HOOKS, environment_id: env, params: { allow_revoke: false, additional_header_text: 'hi' } });
    const res = await patch('flows', flow, { params: { include_decision_message: true } });
    assert.equal(res.status, 200);
    assert.equal(res.body.params.allow_revoke, true);
    assert.equal(res.body.params.additional_header_text, null);
    assert.equal(res.body.params.include_decision_message, true);
  });

  it('filters lists by slug (case-insensitive) and type', async () => {
    const name = `Find-Me-${unique()}`;
    const custom = await create('integrations', { type: 'custom', name, external_id: 'x' });
    const pd = await create('integrations', { type: 'pagerduty', name, external_id: 'x' });
    const bySlug = await get(`integrations?slug=${name.toLowerCase()}`);
    assert.deepEqual(bySlug.body.data.map((e: { id: string }) => e.id).sort(), [custom, pd].sort());
    const both = await get(`integrations?slug=${name.toUpperCase()}&type=pagerduty`);
    assert.deepEqual(
      both.body.data.map((e: { id: string }) => e.id),
      [pd],
    );
    assert.deepEqual((await get('integrations?slug=nothing-here')).body.data, []);
  });

  it('lists the entities named by ?id= (comma-separated or repeated), only of this kind', async () => {
    const names = [unique(), unique(), unique()];
    const [a, b, c] = await Promise.all(names.map((name) => create('integrations', { type: 'custom', name, external_id: 'x' })));
    const other = await create('environments', { name: unique() });
    const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((e) => e.id).sort();
    assert.deepEqual(ids(await get(`integrations?id=${a},${b!.toUpperCase()}`)), [a, b].sort());
    assert.deepEqual(ids(await get(`integrations?id=${a}&id=${c}`)), [a, c].sort());
    assert.equal((await get(`integrations?id=${a}&id=not-a-uuid`)).status, 422, 'a value that is not a UUID is refused, not ignored');
    assert.deepEqual(ids(await get(`integrations?id=${other}`)), [], 'another kind is not listed');
    assert.deepEqual(ids(await get('integrations?id=00000000-0000-4000-8000-000000000000')), []);
    assert.equal((await get('integrations?id=')).status, 422, 'an empty id is not a UUID either');
    const tooMany = await get(`integrations?id=${Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).join(',')}`);
    assert.equal(tooMany.status, 422);
    assert.equal(tooMany.body.errors[0].pointer, '/id');
  });

  it('answers 404 for unknown kinds, ids and other organizations', async () => {
    assert.equal((await get('widgets')).status, 404);
    assert.equal((await get('runtimes/not-a-uuid')).status, 404);
    assert.equal((await get('runtimes/00000000-0000-4000-8000-000000000000')).status, 404);
    const mine = await create('runtimes', { name: `r-${unique()}` });
    const theirs = await get(`runtimes/${mine}`, t.otherAdmin);
    assert.equal(theirs.status, 404);
    assert.equal(theirs.body.code, 'not_found');
    assert.equal((await patch('runtimes', mine, { label: 'x' }, t.otherAdmin)).status, 404);
    assert.equal((await del('runtimes', mine, t.otherAdmin)).status, 404);
    // the id exists, but as another kind
    assert.equal((await get(`environments/${mine}`)).status, 404);
  });

  it('records audit events', async () => {
    const id = await create('runtimes', { name: `r-${unique()}` });
    await patch('runtimes', id, { label: 'x' });
    await del('runtimes', id);
    const events = await t.cp.db.prisma.auditEvent.findMany({ where: { entityId: id }, orderBy: { at: 'asc' } });
    assert.deepEqual(
      events.map((e) => e.type),
      ['entity.created', 'entity.updated', 'entity.deleted'],
    );
    assert.ok(events.every((e) => e.actorTokenId));
  });

  describe('implementations the sandbox could not run are refused at /implementation', () => {
    const broken = [
      { name: 'a syntax error', source: 'export function on_request(event) {\n  if (event.user {\n    return 1;\n  }\n}\n', line: 2, says: /SyntaxError/ },
      { name: 'a forbidden import', source: 'import { events } from "sym/sdk";\nimport fs from "fs";\nexport function on_request() {}\n', line: 2, says: /module "fs" is not available/ },
      { name: 'an unknown hook name', source: 'export function on_request() {}\n\nexport function on_requets() {}\n', line: 3, says: /unknown hook "on_requets"/ },
    ];
    for (const { name, source, line, says } of broken) {
      it(`a flow with ${name}: 422 problem+json naming the line, nothing stored`, async () => {
        const env = await create('environments', { name: `e-${unique()}` });
        const flowName = `broken-${unique()}`;
        const res = await post('flows', { name: flowName, implementation: source, environment_id: env });
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.match(res.headers['content-type'], /application\/problem\+json/);
        assert.equal(res.body.code, 'validation_failed');
        assert.equal(res.body.errors.length, 1);
        assert.equal(res.body.errors[0].pointer, '/implementation');
        assert.match(res.body.errors[0].detail, new RegExp(`^line ${line}: `));
        assert.match(res.body.errors[0].detail, says);
        assert.match(res.body.detail, new RegExp(`line ${line}`));
        assert.deepEqual((await get(`flows?slug=${flowName}`)).body.data, []);
      });
    }

    it('PATCH checks the merged entity: a broken implementation is refused and the stored one kept', async () => {
      const env = await create('environments', { name: `e-${unique()}` });
      const flow = await create('flows', { name: `f-${unique()}`, implementation: HOOKS, environment_id: env });
      const res = await patch('flows', flow, { implementation: 'import { exec } from "node:child_process";\nexport function on_request() {}' });
      assert.equal(res.status, 422);
      assert.equal(res.body.errors[0].pointer, '/implementation');
      assert.match(res.body.errors[0].detail, /^line 1: module "node:child_process"/);
      assert.equal((await get(`flows/${flow}`)).body.implementation, HOOKS);
      assert.equal((await patch('flows', flow, { label: 'Still fine' })).status, 200, 'a valid stored implementation passes again');
    });

    it('checks a flows filter against get_flows and a custom strategy for its AccessStrategy class', async () => {
      const filter = await post('flows-filter', { implementation: 'export function filter() { return true; }' }, t.otherAdmin);
      assert.equal(filter.status, 422);
      assert.match(filter.body.errors[0].detail, /^line 1: unknown hook "filter": a flows filter may export only get_flows/);
      const target = await create('access-targets', { type: 'custom', name: `t-${unique()}` });
      const strategy = await post('access-strategies', { type: 'custom', name: `s-${unique()}`, targets: [target], implementation: 'export class S { escalate() {} deescalate() {} }' });
      assert.equal(strategy.status, 422);
      assert.equal(strategy.body.errors[0].pointer, '/implementation');
      assert.match(strategy.body.errors[0].detail, /must export a class extending AccessStrategy/);
    });
  });
});
