// The package as published: `pnpm pack` (its prepack builds dist/), unpacked into a throwaway
// consumer project, whose TypeScript (strict, NodeNext resolution, library files checked) uses
// requireApproval and withApproval. Without type declarations behind every `exports` entry the
// consumer's imports are untyped and tsc fails (TS7016); the @ts-expect-error lines fail it too if
// the declarations were loose (`any`).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(packageRoot, 'package.json'));

const consumer = `import express from 'express';
import { requireApproval } from '@opensym/middleware/express';
import { withApproval } from '@opensym/middleware/fetch';
import { MIN_SECRET_LENGTH, type ApprovalGateOptions } from '@opensym/middleware';

const app = express();
app.all('/customers/:id/impersonate', requireApproval({ flow: 'impersonate', fields: (req) => ({ user_id: req.params.id }), subject: (req) => req.get('x-user') }), (_req, res) => {
  res.send('impersonating');
});
export const GET = withApproval<{ id: string }>({ flow: 'impersonate', fields: (_request, { id }) => ({ user_id: id }), subject: () => 'support@example.com' }, () => new Response('ok'));
const options: ApprovalGateOptions = { flow: 'impersonate', cacheTtlMs: MIN_SECRET_LENGTH };
// @ts-expect-error flow is a string
requireApproval({ flow: 42, fields: () => ({}), subject: () => undefined });
// @ts-expect-error fields is required
withApproval({ flow: 'impersonate', subject: () => undefined }, () => new Response('ok'));
export { app, options };
`;

describe('the packed package', () => {
  let dir: string;
  let unpacked: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'opensym-middleware-pack-'));
    await run('pnpm', ['pack', '--pack-destination', dir], { cwd: packageRoot });
    const tarball = (await readdir(dir)).find((name) => name.endsWith('.tgz'));
    assert.ok(tarball, 'pnpm pack wrote a tarball');
    const modules = path.join(dir, 'node_modules');
    unpacked = path.join(modules, '@opensym/middleware');
    await mkdir(unpacked, { recursive: true });
    await run('tar', ['xzf', path.join(dir, tarball), '-C', unpacked, '--strip-components=1']);
    // The consumer's own dependencies: express and the types it and the package refer to.
    await mkdir(path.join(modules, '@types'), { recursive: true });
    const linkPackage = async (name: string) => symlink(path.dirname(require.resolve(`${name}/package.json`)), path.join(modules, name));
    await Promise.all([linkPackage('express'), linkPackage('@types/express'), linkPackage('@types/node')]);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('points every exports entry at type declarations that exist', async () => {
    const manifest = JSON.parse(await readFile(path.join(unpacked, 'package.json'), 'utf8')) as { types?: string; exports: Record<string, { types?: string; default?: string }> };
    assert.ok(manifest.types && existsSync(path.join(unpacked, manifest.types)), `types ${manifest.types}`);
    assert.deepEqual(Object.keys(manifest.exports), ['.', './express', './fetch']);
    for (const [entry, target] of Object.entries(manifest.exports)) {
      assert.match(target.types ?? '', /\.d\.ts$/, `${entry} has types`);
      assert.ok(existsSync(path.join(unpacked, target.types!)), `${entry}: ${target.types} is in the package`);
      assert.ok(target.default && existsSync(path.join(unpacked, target.default)), `${entry}: ${target.default} is in the package`);
    }
  });

  it('typechecks a consumer using requireApproval and withApproval against the packed declarations', async () => {
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await writeFile(path.join(dir, 'consumer.ts'), consumer);
    const compilerOptions = { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2023'], types: ['node'], skipLibCheck: false };
    await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    const tsc = require.resolve('typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', dir], { cwd: dir }).then(
      () => ({ ok: true, output: '' }),
      (error: { stdout?: string }) => ({ ok: false, output: error.stdout ?? String(error) }),
    );
    assert.ok(result.ok, result.output);
  });
});
