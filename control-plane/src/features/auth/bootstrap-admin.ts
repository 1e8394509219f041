import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuthService } from './auth-service';

/**
 * First start on an empty database: creates the organization and an admin token, writes the token
 * to `<dataDir>/admin-token` (mode 0600) and prints one line saying where. Later starts do nothing.
 * The token itself is never printed or logged.
 */
export async function bootstrapAdmin({
  auth,
  dataDir,
  orgSlug,
  print = (line) => process.stdout.write(`${line}\n`),
}: {
  auth: Pick<AuthService, 'bootstrap'>;
  dataDir: string;
  orgSlug: string;
  print?: (line: string) => void;
}): Promise<string | null> {
  const boot = await auth.bootstrap(orgSlug);
  if (!boot) return null;
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, 'admin-token');
  // Written aside and renamed, so a reader polling for the file never sees it half-written.
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${boot.token}\n`, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file; a leftover file must be tightened too.
  await chmod(temp, 0o600);
  await rename(temp, file);
  print(`OpenSym: created organization "${boot.orgSlug}"; admin token written to ${file}`);
  return file;
}
