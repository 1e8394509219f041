import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

/** The demo app's own sign-in: an opaque session id cookie mapped to the staff email (in memory). */
export interface DemoSessions {
  /** The signed-in staff member's email, if any. */
  emailOf(req: Request): string | undefined;
  signIn(res: Response, email: string): void;
  signOut(req: Request, res: Response): void;
}

const COOKIE = 'demo_session';

const sessionId = (req: Request): string | undefined =>
  (req.headers.cookie ?? '')
    .split(';')
    .map((p) => p.trim())
    .find((p) => p.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);

/** Creates the in-memory session table. */
export function createDemoSessions(): DemoSessions {
  const sessions = new Map<string, string>();
  return {
    emailOf: (req) => {
      const id = sessionId(req);
      return id ? sessions.get(id) : undefined;
    },
    signIn(res, email) {
      const id = randomBytes(24).toString('base64url');
      sessions.set(id, email);
      res.append('Set-Cookie', `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`);
    },
    signOut(req, res) {
      const id = sessionId(req);
      if (id) sessions.delete(id);
      res.append('Set-Cookie', `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
    },
  };
}
