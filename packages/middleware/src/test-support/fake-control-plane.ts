import { randomUUID } from 'node:crypto';
import type { AccessRequest } from '@opensym/api-client';

type Obj = Record<string, unknown>;

/** An in-memory stand-in for the few control-plane operations the middleware calls (unit tests only). */
export interface FakeControlPlane {
  fetch: (request: Request) => Promise<Response>;
  requests: Map<string, AccessRequest & { notifications?: unknown }>;
  /** Every call as `METHOD path`. */
  calls: string[];
  /** When set, every call fails with a network error. */
  down: boolean;
  /** Moves a request to another state (what an approver or a job would do). */
  set(id: string, change: Partial<AccessRequest>): void;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

/**
 * A flow `impersonate` (approval-only unless `strategy`) whose form asks for `user_id` (required)
 * and `reason` (required), as the impersonation demo's Terraform config does. A request without
 * a reason is refused like the API refuses it: 422 with a field error at `/flow_inputs/reason`.
 */
export function fakeControlPlane({ strategy = false, now = Date.now }: { strategy?: boolean; now?: () => number } = {}): FakeControlPlane {
  const requests = new Map<string, AccessRequest & { notifications?: unknown }>();
  const calls: string[] = [];
  const flow = {
    id: randomUUID(),
    name: 'impersonate',
    label: 'Impersonate a customer',
    params: { strategy_id: strategy ? randomUUID() : null, form_id: 'form-1', prompt_field: null, additional_header_text: null },
  };
  const form = {
    id: 'form-1',
    field: { user_id: { type: 'string', required: true, label: 'Customer', allowed_values: null }, reason: { type: 'string', required: true, label: 'Reason', allowed_values: null } },
  };
  const fake: FakeControlPlane = {
    requests,
    calls,
    down: false,
    set(id, change) {
      requests.set(id, { ...requests.get(id)!, ...change, updated_at: new Date(now()).toISOString() });
    },
    async fetch(request) {
      const url = new URL(request.url);
      calls.push(`${request.method} ${url.pathname}`);
      if (fake.down) throw new TypeError('fetch failed');
      if (request.method === 'GET' && url.pathname === '/api/v1/entities/flows') return json(200, { data: url.searchParams.get('slug') === flow.name ? [flow] : [], next_page_token: null });
      if (request.method === 'GET' && url.pathname === '/api/v1/entities/forms/form-1') return json(200, form);
      if (request.method === 'POST' && url.pathname === '/api/v1/events/request') {
        const body = (await request.json()) as Obj;
        const inputs = body.flow_inputs as Obj;
        const errors = ['user_id', 'reason'].filter((n) => typeof inputs[n] !== 'string' || inputs[n] === '').map((n) => ({ pointer: `/flow_inputs/${n}`, detail: 'is required' }));
        if (errors.length) return json(422, { type: 'about:blank', title: 'Validation failed', status: 422, code: 'validation_failed', errors });
        const at = new Date(now()).toISOString();
        const created = {
          id: randomUUID(),
          state: 'pending',
          flow: { id: flow.id, name: flow.name, version: at },
          requester: { id: randomUUID(), email: String(body.user_email) },
          fields: inputs,
          target_id: null,
          duration_seconds: 3600,
          decided_by: null,
          reason: null,
          pending_until: new Date(now() + 86_400_000).toISOString(),
          active_until: null,
          last_error: null,
          created_at: at,
          updated_at: at,
          notifications: { source: 'default', notifications: [{ destinations: [{ type: 'slack.channel', name: '#impersonations', allow_self: false }] }] },
        } as AccessRequest & { notifications?: unknown };
        requests.set(created.id, created);
        return json(201, created);
      }
      const m = /^\/api\/v1\/requests\/([^/]+)$/.exec(url.pathname);
      if (request.method === 'GET' && m) {
        const found = requests.get(m[1]);
        return found ? json(200, { ...found, events: [] }) : json(404, { type: 'about:blank', title: 'Not found', status: 404, code: 'not_found' });
      }
      return json(404, { type: 'about:blank', title: 'Not found', status: 404, code: 'not_found' });
    },
  };
  return fake;
}
