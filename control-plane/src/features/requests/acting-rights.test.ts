// Who may decide and revoke when a token acts for a named user, as a matrix: token kind (a user's
// token, a bot token) × token role × the named user's role × the flow's permissions (none,
// `get_permissions` approve_deny "admin", an approvers list naming the user) × the named user
// being the requester or not. A call holds at most the rights of both the token's role and the
// named user; the expected outcome of every cell is stated by `expected` below.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import { createFakeJobQueue } from '../../jobs';
import type { StrategyRegistry } from '../strategies/access-strategy';
import { createFakeRequestStore } from './fake-request-store';
import type { HookRunner } from './hook-runner';
import { createRequestService, type RequestActor } from './request-service';
import type { RequestState } from './request-states';

type Role = 'admin' | 'member' | 'guest';
type Perms = 'none' | 'approve_deny_admin' | 'approvers_list';
type Action = 'approve' | 'deny' | 'revoke';
interface Cell {
  action: Action;
  kind: 'user' | 'bot';
  tokenRole: Role;
  namedRole: Role;
  perms: Perms;
  self: boolean;
}

const ROLES: Role[] = ['admin', 'member', 'guest'];
const rank: Record<Role, number> = { guest: 0, member: 1, admin: 2 };

/** The rule, stated cell by cell (no flow in the matrix allows guests). */
function expected(c: Cell): boolean {
  // A user's token acts as its own user; only an admin's may name another user.
  if (c.kind === 'user' && c.namedRole !== c.tokenRole && c.tokenRole !== 'admin') return false;
  const role = rank[c.tokenRole] <= rank[c.namedRole] ? c.tokenRole : c.namedRole;
  if (role === 'guest') return false;
  const mayApprove = c.perms !== 'approve_deny_admin' || role === 'admin';
  if (c.action === 'approve') return c.self ? c.perms === 'approvers_list' : mayApprove; // self-approval only when a recipient names the requester
  if (c.action === 'deny') return c.self || mayApprove; // the requester may withdraw
  return c.self || role === 'admin' || mayApprove; // revoke: the requester, an admin, or an approver
}

const ORG = '00000000-0000-4000-8000-0000000000aa';
const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** The named users (one per role), the owners of user tokens that name someone else, and a requester for "other" cells. */
const named: Record<Role, { id: string; email: string }> = {
  admin: { id: uid(1), email: 'admin@example.com' },
  member: { id: uid(2), email: 'member@example.com' },
  guest: { id: uid(3), email: 'guest@example.com' },
};
const owners: Record<Role, { id: string; email: string }> = {
  admin: { id: uid(4), email: 'owner-admin@example.com' },
  member: { id: uid(5), email: 'owner-member@example.com' },
  guest: { id: uid(6), email: 'owner-guest@example.com' },
};
const someoneElse = { id: uid(7), email: 'someone@example.com' };

const hooksByFlow: Record<Perms, Record<string, JsonValue>> = {
  none: {},
  approve_deny_admin: { get_permissions: { approve_deny: 'admin' } },
  approvers_list: { get_approvers: ROLES.map((r) => ({ type: 'slack.user', email: named[r].email })) },
};

function setup() {
  const queue = createFakeJobQueue();
  const store = createFakeRequestStore(queue);
  // The flow's implementation names its permissions; the scripted reducers answer by it.
  const hooks: HookRunner = {
    async run(source, name) {
      const table = hooksByFlow[source as Perms];
      return table && name in table ? { exported: true, value: table[name] } : { exported: false };
    },
  };
  const strategies: StrategyRegistry = { runnerFor: () => ({ escalate: async () => ({}), deescalate: async () => ({}) }) };
  const service = createRequestService({ store, hooks, strategies, reportFailure: () => {}, pendingTtlSeconds: 3600 });
  for (const r of ROLES) {
    store.addUser(ORG, { ...named[r], role: r, identities: {} });
    store.addUser(ORG, { ...owners[r], role: r, identities: {} });
  }
  store.addUser(ORG, { ...someoneElse, role: 'member', identities: {} });
  store.addEntity(ORG, { id: uid(98), kind: 'flows', type: null, name: 'plain', data: { name: 'plain', implementation: 'none', params: {} } });
  let n = 100;
  const make = async (perms: Perms, requesterId: string, state: RequestState): Promise<string> => {
    const id = uid(n++);
    await store.create(
      {
        id,
        orgId: ORG,
        flowId: uid(99),
        flowName: perms,
        flowVersion: 'v1',
        flowSnapshot: { implementation: perms, params: {} },
        requesterId,
        fields: {},
        targetId: null,
        durationSeconds: 3600,
        state,
        decidedById: null,
        reason: null,
        pendingUntil: null,
        activeUntil: null,
        lastError: null,
      },
      [],
      [],
    );
    return id;
  };
  return { service, make };
}

function cells(): Cell[] {
  const out: Cell[] = [];
  for (const action of ['approve', 'deny', 'revoke'] as const)
    for (const kind of ['user', 'bot'] as const)
      for (const tokenRole of ROLES)
        for (const namedRole of ROLES)
          for (const perms of ['none', 'approve_deny_admin', 'approvers_list'] as const) for (const self of [true, false]) out.push({ action, kind, tokenRole, namedRole, perms, self });
  return out;
}

describe('acting for a named user: at most the rights of both the token and the user', () => {
  it('matrix: action × token kind × token role × named user role × flow permissions × self/other', async () => {
    const { service, make } = setup();
    const mismatches: string[] = [];
    for (const c of cells()) {
      const user = named[c.namedRole];
      const requesterId = c.self ? user.id : someoneElse.id;
      const id = await make(c.perms, requesterId, c.action === 'revoke' ? 'active' : 'pending');
      // A user's token: acts as itself when it is the named user's own, else it names them.
      const ownToken = c.kind === 'user' && c.namedRole === c.tokenRole;
      const actor: RequestActor = { orgId: ORG, tokenId: 'tok', role: c.tokenRole, userId: c.kind === 'bot' ? null : ownToken ? user.id : owners[c.tokenRole].id };
      const body = ownToken ? {} : { user_id: user.id };
      let allowed: boolean;
      try {
        await service[c.action](actor, id, body);
        allowed = true;
      } catch (err) {
        if (!(err instanceof ApiError) || err.code !== 'forbidden') throw err;
        allowed = false;
      }
      if (allowed !== expected(c)) mismatches.push(`${JSON.stringify(c)}: ${allowed ? 'allowed' : 'refused'}, expected ${expected(c) ? 'allowed' : 'refused'}`);
    }
    assert.deepEqual(mismatches, []);
  });

  it('requests: token kind × token role × named requester role (a guest, by role or by cap, only on flows that allow guests)', async () => {
    const { service } = setup();
    const mismatches: string[] = [];
    for (const kind of ['user', 'bot'] as const)
      for (const tokenRole of ROLES)
        for (const namedRole of ROLES) {
          const user = named[namedRole];
          const ownToken = kind === 'user' && namedRole === tokenRole;
          const actor: RequestActor = { orgId: ORG, tokenId: 'tok', role: tokenRole, userId: kind === 'bot' ? null : ownToken ? user.id : owners[tokenRole].id };
          const want = !(kind === 'user' && namedRole !== tokenRole && tokenRole !== 'admin') && tokenRole !== 'guest' && namedRole !== 'guest';
          let allowed: boolean;
          try {
            await service.request(actor, { flow: 'plain', flow_inputs: {}, ...(ownToken ? {} : { user_id: user.id }) });
            allowed = true;
          } catch (err) {
            if (!(err instanceof ApiError) || err.code !== 'forbidden') throw err;
            allowed = false;
          }
          if (allowed !== want) mismatches.push(`${kind} ${tokenRole} token for a ${namedRole}: ${allowed ? 'allowed' : 'refused'}`);
        }
    assert.deepEqual(mismatches, []);
  });

  it('the two holes of the issue: a guest bot naming an admin, a member bot naming an admin on an admin-only flow', async () => {
    const { service, make } = setup();
    const bot = (role: Role): RequestActor => ({ orgId: ORG, tokenId: 'bot', role, userId: null });
    const open = await make('none', someoneElse.id, 'pending');
    await assert.rejects(service.approve(bot('guest'), open, { user_id: named.admin.id }), { code: 'forbidden' });
    const adminOnly = await make('approve_deny_admin', someoneElse.id, 'pending');
    await assert.rejects(service.approve(bot('member'), adminOnly, { user_email: named.admin.email }), { code: 'forbidden' });
    assert.equal((await service.approve(bot('admin'), adminOnly, { user_email: named.admin.email })).state, 'approved');
  });
});
