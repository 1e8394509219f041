// Turns a plan-time check into `{line, column, message}` problems. QuickJS is authoritative on
// what is wrong; a light scan of the source only finds where (the line of an import or export).
import { ALLOWED_MODULES } from './hook-names';
import { locateInStack } from './sandbox-error';
import type { WorkerOutcome } from './worker-protocol';

/** One problem found in a flow or strategy implementation, 1-based like editors show it. */
export interface SourceProblem {
  line: number;
  column: number;
  message: string;
}

interface Found {
  name: string;
  line: number;
  column: number;
}

/** Builds the problems list from a worker's check outcome. */
export function problemsFromCheck(source: string, filename: string, outcome: WorkerOutcome): SourceProblem[] {
  if (outcome.ok) {
    const problems = JSON.parse(outcome.json ?? '[]') as Array<{ name: string | null; message: string }>;
    const exports = scanExports(source);
    return problems
      .map(({ name, message }) => {
        const at = exports.find((found) => found.name === name);
        return { line: at?.line ?? 1, column: at?.column ?? 1, message };
      })
      .sort((a, b) => a.line - b.line || a.column - b.column);
  }
  const { error } = outcome;
  if (error.code === 'syntax') {
    return [{ line: error.line ?? 1, column: error.column ?? 1, message: error.message }];
  }
  if (error.code === 'forbidden_import') {
    const allowed = ALLOWED_MODULES as readonly string[];
    const found = scanImports(source).filter((hit) => !allowed.includes(hit.name));
    const names = new Set(found.map((hit) => hit.name));
    for (const name of error.forbidden ?? []) {
      if (!names.has(name)) found.push({ name, line: 1, column: 1 });
    }
    return found.map((hit) => ({
      line: hit.line,
      column: hit.column,
      message: `module "${hit.name}" is not available in the sandbox; allowed modules are ${allowed.join(', ')}`,
    }));
  }
  const at = locateInStack(error.stack, filename);
  return [{ line: at?.line ?? 1, column: at?.column ?? 1, message: `${error.code}: ${error.message}` }];
}

/** Replaces comments with spaces (keeping line breaks), so scans see code and strings only. */
export function blankComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function positionOf(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/** Static and dynamic import specifiers with their positions. */
export function scanImports(source: string): Found[] {
  const code = blankComments(source);
  const found: Found[] = [];
  const patterns = [/\b(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?(['"])([^'"\n]+)\1/g, /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      found.push({ name: match[2], ...positionOf(code, match.index ?? 0) });
    }
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Exported names with the position of their declaration. */
export function scanExports(source: string): Found[] {
  const code = blankComments(source);
  const found: Found[] = [];
  const declaration = /\bexport\s+(?:default\s+)?(?:async\s+)?(?:function\s*\*?|class|const|let|var)\s+([\w$]+)/g;
  for (const match of code.matchAll(declaration)) found.push({ name: match[1], ...positionOf(code, match.index ?? 0) });
  for (const match of code.matchAll(/\bexport\s*\{([^}]*)\}/g)) {
    for (const part of match[1].split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) found.push({ name, ...positionOf(code, match.index ?? 0) });
    }
  }
  for (const match of code.matchAll(/\bexport\s+default\b/g)) found.push({ name: 'default', ...positionOf(code, match.index ?? 0) });
  return found;
}
