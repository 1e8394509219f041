import type { EntityRecord, EntityStore, EntityWrite, Referrer } from './entity-store';
import { isAfter } from '../../validation/paging';

/** In-memory EntityStore for service unit tests; enforces the same constraints as the database. */
export function createFakeEntityStore(): EntityStore & { records: Map<string, EntityRecord>; refs: Map<string, EntityWrite['references']> } {
  const records = new Map<string, EntityRecord>();
  const refs = new Map<string, EntityWrite['references']>();
  let clock = 0;
  const now = () => new Date(Date.UTC(2026, 0, 1) + clock++);
  const clash = (w: EntityWrite) => [...records.values()].some((r) => r.id !== w.id && r.orgId === w.orgId && r.kind === w.kind && r.naturalKey === w.naturalKey);
  const dangling = (w: EntityWrite) => w.references.some((r) => !records.has(r.toId));
  const copy = (r: EntityRecord): EntityRecord => structuredClone(r);
  return {
    records,
    refs,
    async findById(orgId, kind, id) {
      const r = records.get(id);
      return r && r.orgId === orgId && r.kind === kind ? copy(r) : null;
    },
    async findByNaturalKey(orgId, kind, naturalKey) {
      const r = [...records.values()].find((x) => x.orgId === orgId && x.kind === kind && x.naturalKey === naturalKey);
      return r ? copy(r) : null;
    },
    async list(orgId, kind, filter) {
      return [...records.values()]
        .filter((r) => r.orgId === orgId && r.kind === kind)
        .filter((r) => filter.slug === undefined || r.slug === filter.slug.toLowerCase())
        .filter((r) => filter.type === undefined || r.type === filter.type)
        .filter((r) => filter.ids === undefined || filter.ids.includes(r.id))
        .filter((r) => isAfter(r, filter.after))
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
        .slice(0, filter.take)
        .map(copy);
    },
    async kindsOf(orgId, ids) {
      const out = new Map<string, string>();
      for (const id of ids) {
        const r = records.get(id);
        if (r && r.orgId === orgId) out.set(id, r.kind);
      }
      return out;
    },
    async referrers(id) {
      const out: Referrer[] = [];
      for (const [fromId, list] of refs) {
        const from = records.get(fromId);
        if (from && list.some((r) => r.toId === id)) out.push({ id: from.id, kind: from.kind, name: from.name });
      }
      return out;
    },
    async create(w) {
      if (clash(w)) return { ok: false, reason: 'duplicate' };
      if (dangling(w)) return { ok: false, reason: 'missing_reference' };
      const at = now();
      const { references, ...cols } = w;
      const record: EntityRecord = { ...structuredClone(cols), createdAt: at, updatedAt: at };
      records.set(w.id, record);
      refs.set(w.id, references);
      return { ok: true, entity: copy(record) };
    },
    async update(w) {
      const existing = records.get(w.id);
      if (!existing || existing.orgId !== w.orgId) return { ok: false, reason: 'not_found' };
      if (clash(w)) return { ok: false, reason: 'duplicate' };
      if (dangling(w)) return { ok: false, reason: 'missing_reference' };
      const { references, ...cols } = w;
      const record: EntityRecord = { ...structuredClone(cols), createdAt: existing.createdAt, updatedAt: now() };
      records.set(w.id, record);
      refs.set(w.id, references);
      return { ok: true, entity: copy(record) };
    },
    async delete(orgId, id, detach = []) {
      const r = records.get(id);
      if (!r || r.orgId !== orgId) return { ok: false, reason: 'not_found' };
      const before = { records: new Map(records), refs: new Map(refs) };
      for (const w of detach) {
        const existing = records.get(w.id);
        if (!existing) continue;
        const { references, ...cols } = w;
        records.set(w.id, { ...structuredClone(cols), createdAt: existing.createdAt, updatedAt: now() });
        refs.set(w.id, references);
      }
      if ([...refs.values()].some((list) => list.some((x) => x.toId === id))) {
        // One transaction: nothing of it stays.
        records.clear();
        before.records.forEach((v, k) => records.set(k, v));
        refs.clear();
        before.refs.forEach((v, k) => refs.set(k, v));
        return { ok: false, reason: 'referenced' };
      }
      records.delete(id);
      refs.delete(id);
      return { ok: true };
    },
  };
}
