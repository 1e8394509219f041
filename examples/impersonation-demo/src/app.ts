import express, { type Request, type Response } from 'express';
import type { ApprovalGateOptions } from '@opensym/middleware';
import { requireApproval } from '@opensym/middleware/express';
import { customers } from './customers';
import { createDemoSessions } from './demo-sessions';

/** Options of the demo app: the gate's connection settings (defaults: SYM_API_URL, SYM_JWT, SYM_MIDDLEWARE_SECRET). */
export type DemoAppOptions = Pick<ApprovalGateOptions, 'apiUrl' | 'token' | 'secret' | 'now' | 'cacheTtlMs' | 'refreshSeconds'>;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const layout = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem;border-bottom:1px solid #ccc}</style></head><body><main>${body}</main></body></html>`;

/**
 * The impersonation demo: staff sign in, see the customer list and open "Impersonate", which is
 * held behind the `impersonate` flow by @opensym/middleware. The handler below is what the app
 * would run anyway; the middleware adds the approval in front of it.
 */
export function createDemoApp(options: DemoAppOptions = {}) {
  const app = express();
  const sessions = createDemoSessions();
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));

  app.get('/', (req, res) => {
    const email = sessions.emailOf(req);
    if (!email) {
      return res.send(
        layout(
          'Sign in',
          `<h1>Support console</h1><form method="post" action="/login"><label for="email">Your work email</label> <input id="email" name="email" type="email" required autofocus> <button>Sign in</button></form>`,
        ),
      );
    }
    const rows = customers
      .map((c) => `<tr><td>${esc(c.id)}</td><td>${esc(c.name)}</td><td>${esc(c.plan)}</td><td><a href="/customers/${esc(c.id)}/impersonate">Impersonate ${esc(c.name)}</a></td></tr>`)
      .join('');
    res.send(
      layout(
        'Customers',
        `<h1>Customers</h1><p>Signed in as ${esc(email)}. <form method="post" action="/logout" style="display:inline"><button>Sign out</button></form></p><table><thead><tr><th>ID</th><th>Name</th><th>Plan</th><th></th></tr></thead><tbody>${rows}</tbody></table>`,
      ),
    );
  });
  app.post('/login', (req, res) => {
    const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
    if (email) sessions.signIn(res, email);
    res.redirect(303, '/');
  });
  app.post('/logout', (req, res) => {
    sessions.signOut(req, res);
    res.redirect(303, '/');
  });

  /** The app's own impersonation endpoint, unchanged by the approval in front of it. */
  const impersonate = (req: Request, res: Response) => {
    const customer = customers.find((c) => c.id === req.params.id);
    if (!customer) return res.status(404).send(layout('Not found', '<h1>No such customer</h1>'));
    res.send(
      layout(`Viewing as ${customer.name}`, `<h1>You are impersonating ${esc(customer.name)}</h1><p>Plan: ${esc(customer.plan)} · ${esc(customer.email)}</p><p><a href="/">Back to customers</a></p>`),
    );
  };

  app.all('/customers/:id/impersonate', requireApproval({ ...options, flow: 'impersonate', fields: (req) => ({ user_id: req.params.id }), subject: (req) => sessions.emailOf(req) }), impersonate);

  return app;
}
