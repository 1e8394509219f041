import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiError } from '../../errors/api-error';
import type { TokenIdentity } from '../auth/token-store';
import { createFakeAuditLog } from './audit-log';
import { createAuditService, decodeAuditCursor, encodeAuditCursor } from './audit-service';

const org = { id: 'org-1', slug: 'acme' };
const member: TokenIdentity = { tokenId: 't-member', role: 'member', org, lastUsedAt: null, userId: null };
const userId = '11111111-1111-4111-8111-111111111111';
const requestId = '22222222-2222-4222-8222-222222222222';

describe('audit service (fake log)', () => {
  it('pages newest first with a cursor, filters, resolves actor emails, and orders a request oldest first', async () => {
    const log = createFakeAuditLog();
    for (let i = 0; i < 5; i++) {
      await log.record({
        orgId: org.id,
        type: i % 2 ? 'request.approved' : 'entity.created',
        actorTokenId: 't1',
        actorUserId: i < 2 ? userId : null,
        entityId: null,
        requestId: i < 3 ? requestId : null,
        data: { i },
      });
    }
    await log.record({ orgId: 'org-2', type: 'entity.created', actorTokenId: 't2', entityId: null, data: { i: 99 } });
    const service = createAuditService({ reader: log, findUserIdByEmail: async (_o, email) => (email === 'a@example.com' ? userId : null) });
    const first = await service.list(member, { limit: 2 });
    assert.deepEqual(
      first.data.map((e) => e.data.i),
      [4, 3],
    );
    const second = await service.list(member, { limit: 2, pageToken: first.next_page_token! });
    assert.deepEqual(
      second.data.map((e) => e.data.i),
      [2, 1],
    );
    const third = await service.list(member, { limit: 2, pageToken: second.next_page_token! });
    assert.deepEqual([third.data.map((e) => e.data.i), third.next_page_token], [[0], null]);
    assert.deepEqual(
      (await service.list(member, { limit: 50, type: 'request.*' })).data.map((e) => e.data.i),
      [3, 1],
    );
    assert.deepEqual(
      (await service.list(member, { limit: 50, actor: 'A@example.com' })).data.map((e) => e.data.i),
      [1, 0],
    );
    assert.deepEqual((await service.list(member, { limit: 50, actor: 'b@example.com' })).data, []);
    assert.deepEqual(
      (await log.listForRequest(org.id, requestId)).map((e) => e.data.i),
      [0, 1, 2],
    );
    await assert.rejects(service.list({ ...member, role: 'guest' }, { limit: 1 }), (e: ApiError) => e.code === 'forbidden');
    await assert.rejects(service.list(member, { limit: 1, pageToken: 'bogus' }), (e: ApiError) => e.code === 'validation_failed' && e.errors[0]!.pointer === '/page_token');
  });

  it('round-trips cursors and rejects anything else', () => {
    const c = { at: new Date('2026-01-02T03:04:05.678Z'), id: requestId };
    assert.deepEqual(decodeAuditCursor(encodeAuditCursor(c)), c);
    for (const bad of ['', '!!', Buffer.from('2026-01-02T03:04:05.678Z|nope').toString('base64url'), Buffer.from(`2026-01-02|${requestId}`).toString('base64url')]) {
      assert.equal(decodeAuditCursor(bad), null, bad);
    }
  });
});
