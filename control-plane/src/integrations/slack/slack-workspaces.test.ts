import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntityRecord } from '../../shared/entity-record';
import { createSlackWorkspaces } from './slack-workspaces';

describe('Slack workspaces: per-click lookups', () => {
  const entity = (id: string, kind: string, data: Record<string, unknown>) => ({ id, kind, type: data.type, name: id, data }) as unknown as EntityRecord;
  const setup = () => {
    const reads: string[] = [];
    const rows: Record<string, EntityRecord> = {
      'integrations:i1': entity('i1', 'integrations', { type: 'slack', external_id: 'T1', settings: {} }),
      'environments:e1': entity('e1', 'environments', { integrations: { slack_id: 'i1' } }),
    };
    const workspaces = createSlackWorkspaces({
      directory: { findByTeam: async () => [], listOfOrg: async () => [], all: async () => [] },
      entities: {
        findById: async (_orgId: string, kind: string, id: string) => {
          reads.push(`${kind}:${id}`);
          return rows[`${kind}:${id}`] ?? null;
        },
      } as never,
      secrets: { read: async () => 'x' } as never,
    });
    return { reads, workspaces };
  };

  it('a burst of syncs and clicks reads the environment and the integration once; forget() reads them again', async () => {
    const { reads, workspaces } = setup();
    for (let i = 0; i < 10; i++) {
      assert.equal((await workspaces.forFlow('org', 'e1'))?.integration.id, 'i1');
      assert.equal((await workspaces.byId('org', 'i1'))?.teamId, 'T1');
    }
    assert.deepEqual(reads, ['environments:e1', 'integrations:i1']);
    workspaces.forget();
    await workspaces.forFlow('org', 'e1');
    assert.deepEqual(reads, ['environments:e1', 'integrations:i1', 'environments:e1', 'integrations:i1']);
  });
});
