/**
 * Raw calls to the control plane's API for specs that check statuses and bodies themselves (the
 * request and grant flows); `ApiClient` is the entity client that throws on non-2xx.
 */
import assert from 'node:assert/strict';

/** One answer: its status, content type and raw text. */
interface RawAnswer {
  status: number;
  type: string;
  text: string;
}

/** The answer's JSON body; undefined when empty. */
const parsed = (text: string): any => (text === '' ? undefined : JSON.parse(text));

async function send(cp: { url: string }, token: string, method: string, route: string, body?: unknown): Promise<RawAnswer> {
  const response = await fetch(new URL(route, cp.url), {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** One API call with a bearer token; returns the status, content type and parsed body instead of throwing on non-2xx. */
export async function apiCall(cp: { url: string }, token: string, method: string, route: string, body?: unknown): Promise<{ status: number; type: string; body: any }> {
  const answer = await send(cp, token, method, route, body);
  return { status: answer.status, type: answer.type, body: parsed(answer.text) };
}

/** One API call that must answer `expected` (the failure message carries the body); returns the parsed body. */
export async function expectStatus(cp: { url: string }, expected: number, token: string, method: string, route: string, body?: unknown): Promise<any> {
  const answer = await send(cp, token, method, route, body);
  assert.equal(answer.status, expected, `${method} ${route} → ${answer.status}: ${answer.text}`);
  return parsed(answer.text);
}
