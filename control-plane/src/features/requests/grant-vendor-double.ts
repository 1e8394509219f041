// Test helper: the vendor API a custom strategy grants and revokes access through. It honours
// idempotency keys like a real API (a repeated key replays the first answer without a new
// effect), keeps per request whether a grant is live, counts every call and effect, and answers
// with scripted faults so tests can inject vendor errors and unstorable output.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted answer to one call: no effect + 503, no effect + 400 (the strategy turns it into a
 * permanent error), effect + 500 (an API that applied the change and then timed out), or effect +
 * output with U+0000. Effects happen once per idempotency key; a key answered with success is
 * replayed with that answer.
 */
export type VendorFault = 'transient' | 'permanent' | 'after_effect' | 'nul_output';

/** What the vendor saw for one request. */
export interface VendorLedger {
  /** Whether a grant is live now. */
  live: boolean;
  /** Grants and revocations that took effect (a replayed key has none). */
  grants: number;
  revocations: number;
  /** Calls received, by action. */
  calls: { escalate: number; deescalate: number };
  /** Calls of an action received after that action had already been answered with success. */
  afterSuccess: { escalate: number; deescalate: number };
  /** Actions answered with success so far. */
  succeeded: { escalate: boolean; deescalate: boolean };
}

/** A running vendor double. */
export interface GrantVendorDouble {
  url: string;
  host: string;
  ledgers: Map<string, VendorLedger>;
  /** Decides the fault of each call (`n`: 1 for the first call of this action for this request). */
  fault: (action: 'escalate' | 'deescalate', requestId: string, n: number) => VendorFault | undefined;
  close(): Promise<void>;
}

/** The custom strategy that calls the double: the request id and the step's idempotency key go to `/<action>`. */
export const vendorStrategySource = (url: string): string => `import { AccessStrategy } from "sym/sdk/strategies";
import * as http from "sym/http";

function call(action, event) {
  const res = http.post("${url}/" + action, { json: { request_id: event.run.id, key: event.idempotency_key } });
  // A refusal retrying cannot fix: reaching a host outside the allowlist is a permanent sandbox error.
  if (res.status_code === 400) http.get("http://permanent-refusal.invalid/");
  res.raise_for_status();
  return res.json();
}

export class VendorApi extends AccessStrategy {
  fetch_remote_identity(user) { return user.email; }
  escalate(target_id, event) { return call("escalate", event); }
  deescalate(target_id, event) { return call("deescalate", event); }
}
`;

/** Starts the double on a random loopback port. */
export async function startGrantVendorDouble(): Promise<GrantVendorDouble> {
  const ledgers = new Map<string, VendorLedger>();
  const replies = new Map<string, { status: number; body: string }>();
  const applied = new Set<string>();
  const double = { ledgers, fault: (() => undefined) as GrantVendorDouble['fault'] };
  const ledgerOf = (id: string): VendorLedger => {
    let l = ledgers.get(id);
    if (!l)
      ledgers.set(
        id,
        (l = { live: false, grants: 0, revocations: 0, calls: { escalate: 0, deescalate: 0 }, afterSuccess: { escalate: 0, deescalate: 0 }, succeeded: { escalate: false, deescalate: false } }),
      );
    return l;
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const action = (req.url ?? '').slice(1) as 'escalate' | 'deescalate';
      const { request_id: id, key } = JSON.parse(raw || '{}') as { request_id: string; key: string };
      const ledger = ledgerOf(id);
      ledger.calls[action]++;
      if (ledger.succeeded[action]) ledger.afterSuccess[action]++;
      const answer = (status: number, body: string) => {
        if (status < 300) ledger.succeeded[action] = true;
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      };
      const replay = replies.get(key);
      if (replay) return answer(replay.status, replay.body);
      const fault = double.fault(action, id, ledger.calls[action]);
      if (fault === 'transient') return answer(503, '{"error":"try again"}');
      if (fault === 'permanent') return answer(400, '{"error":"refused"}');
      // The effect happens, once per key.
      if (!applied.has(key)) {
        applied.add(key);
        if (action === 'escalate') {
          ledger.grants++;
          ledger.live = true;
        } else {
          ledger.revocations++;
          ledger.live = false;
        }
      }
      if (fault === 'after_effect') return answer(500, '{"error":"timed out after applying"}');
      const body = fault === 'nul_output' ? JSON.stringify({ grant: `g\u0000${id}` }) : JSON.stringify({ grant: id, action });
      replies.set(key, { status: 200, body });
      answer(200, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(double, {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
