import { createApprovalGate, type ApprovalGateOptions } from '../approval-gate';

/** Options of {@link withApproval}: the gate's options plus how to read the visit from a Web `Request`. */
export interface FetchApprovalOptions<C> extends ApprovalGateOptions {
  fields: (request: Request, context: C) => Record<string, unknown> | Promise<Record<string, unknown>>;
  subject: (request: Request, context: C) => string | undefined | Promise<string | undefined>;
}

/**
 * Wraps a Web-standard handler (a Next.js App Router route handler, Hono, Bun, Deno):
 * `export const GET = withApproval({ flow, fields, subject }, handler); export const POST = GET;`
 * (POST too, so the approval form can post back to the same route).
 */
export function withApproval<C = unknown>(options: FetchApprovalOptions<C>, handler: (request: Request, context: C) => Response | Promise<Response>) {
  const gate = createApprovalGate(options);
  return async (request: Request, context: C): Promise<Response> => {
    const url = new URL(request.url);
    const outcome = await gate.handle({
      method: request.method,
      url: `${url.pathname}${url.search}`,
      cookieHeader: request.headers.get('cookie'),
      secure: url.protocol === 'https:',
      subject: await options.subject(request, context),
      fields: await options.fields(request, context),
      readForm: async () => new URLSearchParams(await request.text()),
      signal: request.signal,
    });
    const response = outcome.kind === 'pass' ? await handler(request, context) : new Response(outcome.body || null, { status: outcome.status, headers: outcome.headers });
    if (outcome.setCookies.length === 0) return response;
    const headers = new Headers(response.headers);
    for (const cookie of outcome.setCookies) headers.append('set-cookie', cookie);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}
