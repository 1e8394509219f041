import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const srcDir = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'generated') return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = sources(srcDir).map((path) => ({ path: relative(srcDir, path), text: readFileSync(path, 'utf8') }));

/** Files (relative to src/) for which `bad` holds, outside the `allowed` ones. */
const offenders = (bad: (f: { path: string; text: string }) => boolean, allowed: (path: string) => boolean = () => false) => files.filter((f) => !allowed(f.path) && bad(f)).map((f) => f.path);

// The HTTP edge of a feature: routes, Express middleware, and the metrics' request timer.
const httpEdge = (path: string) =>
  /-(routes|middleware)\.ts$/.test(path) || path.startsWith('http/') || path === 'app.ts' || path === 'features/metrics/metrics.ts' || path.startsWith('test-support/');

describe('feature boundaries at the data layer', () => {
  it('services and stores do not import Express or its middleware', () => {
    assert.deepEqual(
      offenders(
        (f) => /from '(express|[^']*-middleware)'/.test(f.text),
        (p) => httpEdge(p) || !p.startsWith('features/'),
      ),
      [],
    );
  });

  it('record types shared by features live in shared/, not in the strategy contract', () => {
    // The entities feature's own store row (with timestamps) is its business; the lean shared shape lives in shared/.
    assert.deepEqual(
      offenders(
        (f) => /^export (interface|type) EntityRecord\b/m.test(f.text),
        (p) => p.startsWith('shared/') || p === 'features/entities/entity-store.ts',
      ),
      [],
    );
    assert.deepEqual(
      offenders(
        (f) => /^export (interface|type) \w+Record\b/m.test(f.text),
        (p) => !p.startsWith('features/strategies/access-strategy'),
      ),
      [],
    );
    assert.deepEqual(
      offenders((f) => /import[^;]*\bEntityRecord\b[^;]*from '[^']*(access-strategy|\/strategies)'/.test(f.text)),
      [],
    );
  });

  it('only the audit feature writes audit events', () => {
    const writesAudit = (text: string) => /\.auditEvent\.(create|createMany|upsert|update|updateMany|delete|deleteMany)\b|(INSERT INTO|UPDATE|DELETE FROM)\s+"AuditEvent"/.test(text);
    assert.deepEqual(
      offenders(
        (f) => writesAudit(f.text),
        (p) => p.startsWith('features/audit/'),
      ),
      [],
    );
  });

  it("the request lifecycle reads entities and users only through their features' lookups", () => {
    const readsOthers = (text: string) => /\b(prisma|tx)\.(entity|user)\.|\brequester:\s*\{\s*select|(FROM|JOIN)\s+"(Entity|User)"/.test(text);
    assert.deepEqual(
      offenders(
        (f) => readsOthers(f.text),
        (p) => !p.startsWith('features/requests/'),
      ),
      [],
    );
  });

  it('the checks see a violation', () => {
    const fake = [{ path: 'features/users/user-service.ts', text: "import { identityOf } from '../auth/auth-middleware';" }];
    assert.ok(fake.some((f) => /from '(express|[^']*-middleware)'/.test(f.text) && !httpEdge(f.path)));
  });
});
