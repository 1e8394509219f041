/**
 * `sourceOrPath` attributes hold source code or a path to a file holding it. The file is read at
 * plan time so an edit shows up in the plan as a new hash.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where a path-valued attribute is resolved from: the Terraform working directory. */
export function absoluteSourcePath(value: string, cwd: string): string {
  return resolve(cwd, value);
}

/** True when the value could be a path: one line, no blanks, and short (source code rarely is). */
export function couldBePath(value: string): boolean {
  return value.length > 0 && value.length < 1024 && !/[\n\r\t ]/.test(value);
}

/** True when a value that is not an existing file still looks like a path the user meant. */
export function looksLikePath(value: string): boolean {
  return couldBePath(value) && /^[\w.~@+\-/\\]+$/.test(value) && (/[/\\]/.test(value) || /\.(m?js|cjs|ts|mts|py|txt)$/i.test(value));
}

/**
 * The path in a value that is the text `file('x.py')` (or with double quotes): Sym's provider
 * stores such a string as it is (its acceptance tests write `implementation = "file('impl.py')"`),
 * so states and configurations written for it hold it; it is read as the file it names.
 */
export function fileCallPath(value: string): string | undefined {
  const m = /^\s*file\(\s*(['"])([^'"\n]+)\1\s*\)\s*$/.exec(value);
  return m?.[2];
}

/** The path's contents if the value names an existing file (or is `file('path')` text), else undefined. */
export function readSourceFile(value: string, cwd: string): string | undefined {
  value = fileCallPath(value) ?? value;
  if (!couldBePath(value)) return undefined;
  const abs = absoluteSourcePath(value, cwd);
  try {
    if (!statSync(abs).isFile()) return undefined;
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

/** The source code a sourceOrPath value stands for: the file's contents, or the value itself. */
export function resolveSource(value: string, cwd: string): string {
  return readSourceFile(value, cwd) ?? value;
}

/** SHA-256 of source code, lowercase hex: the planned hash attribute. */
export function sourceHash(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex');
}
