/**
 * Writes every generated file (`pnpm --filter @opensym/schemas generate`), or with `--check`
 * compares them with what is on disk and exits 1 listing the stale ones.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './outputs';
import type { GeneratedFile } from './outputs';

/** The repository root (two levels above `schemas/src/generate`). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Paths (repo-relative) whose content on disk differs from `files`, including missing ones. */
export function staleFiles(files: GeneratedFile[], root = repoRoot): string[] {
  return files
    .filter((f) => {
      try {
        return readFileSync(join(root, f.path), 'utf8') !== f.content;
      } catch {
        return true;
      }
    })
    .map((f) => f.path);
}

/** Folders holding nothing but generated files; anything else in them is left over and stale. */
export const generatedDirs = ['schemas/generated', 'docs/resources', 'docs/data-sources'];

/** Repo-relative paths of files in the generated folders that the generators no longer produce. */
export function strayFiles(files: GeneratedFile[], root = repoRoot): string[] {
  const expected = new Set(files.map((f) => f.path));
  return generatedDirs.flatMap((dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir), { withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => `${dir}/${entry.name}`)
          .filter((p) => !expected.has(p))
      : [],
  );
}

function main(argv: string[]): number {
  const files = generatedFiles();
  if (argv.includes('--check')) {
    const stale = [...staleFiles(files), ...strayFiles(files).map((p) => `${p} (no longer generated)`)];
    if (stale.length > 0) {
      process.stderr.write(`Generated files are out of date; run \`pnpm generate\`:\n${stale.map((p) => `  ${p}\n`).join('')}`);
      return 1;
    }
    process.stdout.write(`${files.length} generated files are up to date.\n`);
    return 0;
  }
  for (const p of strayFiles(files)) rmSync(join(repoRoot, p));
  for (const f of files) {
    const target = join(repoRoot, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content);
  }
  process.stdout.write(`Wrote ${files.length} files.\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
