// Named ExpressRequest: the bundled declarations also use the global (Fetch) Request, and
// dts-bundle-generator renames a colliding import without renaming its uses.
import type { Request as ExpressRequest, RequestHandler } from 'express';
import { createApprovalGate, type ApprovalGateOptions } from '../approval-gate';
import { formFromParsed, readFormStream } from '../read-body';

/** Options of {@link requireApproval}: the gate's options plus how to read the visit from Express. */
export interface ExpressApprovalOptions extends ApprovalGateOptions {
  /** The request's field values this URL fixes, e.g. `(req) => ({ user_id: req.params.id })`. */
  fields: (req: ExpressRequest) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** The signed-in visitor's email (or control-plane user id); undefined when nobody is signed in. */
  subject: (req: ExpressRequest) => string | undefined | Promise<string | undefined>;
  /** The app's session object, when grants are kept there (`grants: sessionGrants()`). */
  session?: (req: ExpressRequest) => Record<string, unknown> | undefined;
}

/**
 * Express middleware holding a route until the visitor's access through `flow` is approved:
 * `app.all('/customers/:id/impersonate', requireApproval({ flow, fields, subject }), handler)`.
 * Mount it for every method (`all` or `use`) so the approval form can post back to the same URL.
 */
export function requireApproval(options: ExpressApprovalOptions): RequestHandler {
  const gate = createApprovalGate(options);
  return (req, res, next) => {
    // The visitor leaving ends a held live-status request.
    const left = new AbortController();
    res.once('close', () => left.abort());
    void (async () => {
      const outcome = await gate.handle({
        method: req.method,
        url: req.originalUrl,
        cookieHeader: req.headers.cookie,
        secure: req.secure,
        subject: await options.subject(req),
        fields: await options.fields(req),
        session: options.session?.(req),
        readForm: async () => formFromParsed(req.body) ?? readFormStream(req),
        signal: left.signal,
      });
      for (const cookie of outcome.setCookies) res.append('Set-Cookie', cookie);
      if (outcome.kind === 'pass') return next();
      res.status(outcome.status).set(outcome.headers).send(outcome.body);
    })().catch(next);
  };
}
