import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { SlackClient } from '../../integrations/slack/slack-client';
import type { SlackWorkspace } from '../../integrations/slack/slack-workspaces';
import type { RequestView } from '../requests/request-service';
import { syncRequest } from './slack-delivery';
import type { SlackDeps } from './slack-deps';
import { SLACK_JOBS, slackJobHandlers } from './slack-jobs';
import { createSentMessages } from './slack-sent-messages';
import type { SlackMessageRecord } from './slack-store';

/**
 * Deps over one approved request `r1` whose stored messages are `messages`, in a workspace whose
 * Slack client sends each chat.update to `update`; the request is returned to be moved on.
 */
function syncFixture(update: (ref: { channel: string; ts: string }, text: string) => Promise<void>, messages: SlackMessageRecord[]): { deps: SlackDeps; request: RequestView } {
  const request = {
    id: 'r1',
    state: 'approved',
    updated_at: '2026-12-07T00:00:00Z',
    requester: { id: 'u1', email: 'sam@example.com' },
    flow: { id: 'f1', name: 'ops-access' },
    fields: {},
    events: [],
  } as unknown as RequestView;
  const client = { update } as unknown as SlackClient;
  const workspace = { orgId: 'o1', integration: { id: 'i1' }, client: async () => client } as unknown as SlackWorkspace;
  const deps = {
    requests: { get: async () => structuredClone(request) },
    entities: { findById: async () => null, list: async () => [] },
    workspaces: { forFlow: async () => workspace },
    users: { findById: async () => null },
    store: { messagesOf: async () => messages },
    logger: pino({ level: 'silent' }),
    sent: createSentMessages(),
  } as unknown as SlackDeps;
  return { deps, request };
}

describe('Slack sync: updates only what changed', () => {
  /** Deps over one request and its two stored messages; `updates` records every chat.update. */
  const setup = () => {
    const updates: string[] = [];
    const { deps, request } = syncFixture(
      async (ref, text) => void updates.push(`${ref.channel} ${text}`),
      [
        { requestId: 'r1', integrationId: 'i1', purpose: 'approval', destination: 'channel:#ops', channel: 'C1', ts: '1.1' },
        { requestId: 'r1', integrationId: 'i1', purpose: 'requester', destination: 'requester', channel: 'D1', ts: '1.2' },
      ],
    );
    return { deps, request, updates };
  };

  it('a second sync after the same step sends no update; the next step updates every message again', async () => {
    const { deps, request, updates } = setup();
    await syncRequest(deps, 'o1', 'r1', false);
    assert.equal(updates.length, 2);
    // Claimed late, a second job of the same step renders the same messages.
    await syncRequest(deps, 'o1', 'r1', false);
    assert.equal(updates.length, 2);
    Object.assign(request, { state: 'active', active_until: '2026-12-07T01:00:00Z', updated_at: '2026-12-07T00:00:01Z' });
    await syncRequest(deps, 'o1', 'r1', false);
    assert.equal(updates.length, 4);
    assert.match(updates[2]!, /^C1 .*Access granted/);
  });

  it('a failed update is sent again by the next sync', async () => {
    const { deps, updates } = setup();
    const workspace = await deps.workspaces.forFlow('o1', null);
    const client = await workspace!.client();
    const update = client.update.bind(client);
    let failures = 1;
    client.update = async (...args) => {
      if (failures-- > 0) throw new Error('network down');
      return update(...args);
    };
    await assert.rejects(syncRequest(deps, 'o1', 'r1', false), /network down/);
    await syncRequest(deps, 'o1', 'r1', false);
    assert.equal(updates.length, 2);
  });
});

describe('Slack sync jobs of one request', () => {
  it('run one after another, so an older render never lands after a newer one', async () => {
    const shows = new Map<string, string>();
    let held: (() => void) | null = null;
    let firstD1 = true;
    let reachedD1!: () => void;
    const atD1 = new Promise<void>((resolve) => (reachedD1 = resolve));
    const { deps, request } = syncFixture(
      async (ref, text) => {
        // The first sync's update of the second message is slow (a Slack retry, a busy loop).
        if (ref.channel === 'D1' && firstD1) {
          firstD1 = false;
          reachedD1();
          await new Promise<void>((resolve) => (held = resolve));
        }
        shows.set(ref.channel, text);
      },
      [
        { requestId: 'r1', integrationId: 'i1', purpose: 'approval', destination: 'channel:#ops', channel: 'C1', ts: '1.1' },
        { requestId: 'r1', integrationId: 'i1', purpose: 'approval', destination: 'user:U2', channel: 'D1', ts: '1.2' },
      ],
    );
    const sync = slackJobHandlers(deps)[SLACK_JOBS.sync]!.run;
    const job = { id: 'j', kind: SLACK_JOBS.sync, orgId: 'o1', requestId: 'r1', payload: { post: false }, attempt: 1, maxAttempts: 10 };
    const first = sync(job);
    await atD1;
    Object.assign(request, { state: 'active', active_until: '2026-12-07T01:00:00Z', updated_at: '2026-12-07T00:00:01Z' });
    const second = sync({ ...job, id: 'j2' });
    // Everything the second sync could do without waiting has happened by the next turn of the loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
    held!();
    await Promise.all([first, second]);
    assert.match(shows.get('C1')!, /Access granted/);
    assert.match(shows.get('D1')!, /Access granted/);
  });
});
