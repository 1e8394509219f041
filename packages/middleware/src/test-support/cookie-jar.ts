/** A minimal cookie jar for unit tests: keeps name=value from Set-Cookie, drops Max-Age=0. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie line received, for attribute checks. */
  readonly lines: string[] = [];

  take(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      this.lines.push(line);
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      if (attrs.some((a) => a.toLowerCase() === 'max-age=0')) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
