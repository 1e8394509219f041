/**
 * The provider's light check of a Python implementation (validate/plan, no Python parser in the
 * provider): imports outside what the sandbox allows, `@hook`/`@reducer` functions with names
 * that are not hooks, and a strategy module without an `AccessStrategy` subclass implementing
 * `escalate` and `deescalate`, each with its line. Syntax errors need Python's own parser: at plan
 * time the provider asks the control plane's (`checkSourceAtPlan` in sym-provider.ts), and storing
 * the implementation refuses them too (422 with the line number).
 */
import { PYTHON_ALLOWED_TEXT, allowedExportNames, isPythonModuleAllowed, type ImplementationKind } from '@opensym/schemas';
import type { ImplementationProblem } from './implementation-check';

interface CodeLine {
  line: number;
  text: string;
}

/** The lines outside triple-quoted strings, without comments (a light scan, not a parser). */
function codeLines(source: string): CodeLine[] {
  const out: CodeLine[] = [];
  let inString: string | undefined;
  source.split('\n').forEach((raw, index) => {
    let text = raw;
    if (inString) {
      const end = text.indexOf(inString);
      if (end < 0) return;
      text = ' '.repeat(end + 3) + text.slice(end + 3);
      inString = undefined;
    }
    for (;;) {
      const match = /("""|''')/.exec(text);
      if (!match) break;
      const close = text.indexOf(match[1], match.index + 3);
      if (close < 0) {
        inString = match[1];
        text = text.slice(0, match.index);
        break;
      }
      text = text.slice(0, match.index) + ' '.repeat(close + 3 - match.index) + text.slice(close + 3);
    }
    const hash = text.search(/#(?=(?:[^'"]*['"][^'"]*['"])*[^'"]*$)/);
    if (hash >= 0) text = text.slice(0, hash);
    if (text.trim() !== '') out.push({ line: index + 1, text });
  });
  return out;
}

const column = (text: string) => text.length - text.trimStart().length + 1;

/** Problems in a Python implementation of `kind`, ordered by line. */
export function checkPythonImplementation(source: string, kind: ImplementationKind): ImplementationProblem[] {
  const lines = codeLines(source);
  const problems: ImplementationProblem[] = [];
  const refuse = (at: CodeLine, name: string) =>
    problems.push({ line: at.line, column: column(at.text), message: `module "${name}" is not available in the sandbox; allowed modules are ${PYTHON_ALLOWED_TEXT}` });
  for (const at of lines) {
    const plain = /^\s*import\s+(.+)$/.exec(at.text);
    if (plain) {
      for (const part of plain[1].split(',')) {
        const name = part
          .trim()
          .split(/\s+as\s+/)[0]
          .trim();
        if (name && !isPythonModuleAllowed(name)) refuse(at, name);
      }
    }
    const from = /^\s*from\s+(\.*)([\w.]*)\s+import\b/.exec(at.text);
    if (from && (from[1] !== '' || !isPythonModuleAllowed(from[2]))) refuse(at, from[1] + from[2]);
    const call = /\b(__import__|open|eval|exec|compile)\s*\(/.exec(at.text);
    if (call && !/^\s*def\s/.test(at.text) && !/\.\s*$/.test(at.text.slice(0, call.index))) {
      problems.push({ line: at.line, column: call.index + 1, message: `${call[1]}() is not available in the sandbox` });
    }
  }
  const names = allowedExportNames(kind);
  if (kind === 'strategy') problems.push(...strategyProblems(lines));
  else if (names) {
    const what = kind === 'flows-filter' ? 'a flows filter' : 'a flow implementation';
    let decorated = false;
    for (const at of lines) {
      if (/^@(?:[\w.]+\.)?(?:hook|reducer)\b/.test(at.text)) decorated = true;
      else if (at.text.startsWith('@')) continue;
      else {
        const def = /^(?:async\s+)?def\s+(\w+)/.exec(at.text);
        if (def && decorated && !names.includes(def[1])) {
          problems.push({ line: at.line, column: 1, message: `unknown hook "${def[1]}": ${what} may define only ${names.join(', ')}` });
        }
        decorated = false;
      }
    }
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

function strategyProblems(lines: CodeLine[]): ImplementationProblem[] {
  const problems: ImplementationProblem[] = [];
  const classes = lines.flatMap((at, index) => {
    const match = /^class\s+(\w+)\s*\(([^)]*)\)\s*:/.exec(at.text);
    return match && /\bAccessStrategy\b/.test(match[2]) ? [{ at, index, name: match[1] }] : [];
  });
  if (classes.length === 0) {
    return [{ line: lines[0]?.line ?? 1, column: 1, message: 'a strategy implementation must define a class extending AccessStrategy (from sym.sdk.strategies import AccessStrategy)' }];
  }
  for (const { at, index, name } of classes) {
    const body: string[] = [];
    for (const next of lines.slice(index + 1)) {
      if (!/^\s/.test(next.text)) break;
      body.push(next.text);
    }
    for (const method of ['escalate', 'deescalate']) {
      if (!body.some((text) => new RegExp(`^\\s+(?:async\\s+)?def\\s+${method}\\s*\\(`).test(text))) {
        problems.push({ line: at.line, column: 1, message: `strategy class ${name} must implement ${method}(self, target_id, event)` });
      }
    }
  }
  return problems;
}
