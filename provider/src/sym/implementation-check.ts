/**
 * Static checks of a sandboxed implementation at validate/plan time, so Terraform reports a
 * broken module before anything is applied, and without the API (validate runs unconfigured).
 * The rules come from `@opensym/schemas` (the sandbox enforces the same ones when code is stored
 * and run): the module must parse as an ES module, import only the SDK modules, never call
 * `import()`, and, for hook modules, export only known hook and reducer names.
 */
import { type Node, type Program, type Pattern, parse } from 'acorn';
import { simple } from 'acorn-walk';
import { ALLOWED_MODULES, allowedExportNames, implementationLanguage, type ImplementationKind } from '@opensym/schemas';
import { checkPythonImplementation } from './python-implementation-check';

/** One problem with the line (1-based) and column (1-based) the user must look at. */
export interface ImplementationProblem {
  line: number;
  column: number;
  message: string;
}

const KIND_LABEL: Record<ImplementationKind, string> = {
  flow: 'a flow implementation',
  'flows-filter': 'a flows filter',
  strategy: 'a strategy implementation',
};

/**
 * Problems in `source` for a module of `kind`, ordered by position; empty when it passes. The
 * language follows `filename`'s extension (`.py`, `.js`) or, without one, the code; Python gets
 * the light check of `python-implementation-check.ts`.
 */
export function checkImplementation(source: string, kind: ImplementationKind, filename?: string): ImplementationProblem[] {
  if (implementationLanguage(source, filename) === 'python') return checkPythonImplementation(source, kind);
  let program: Program;
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'module', locations: true });
  } catch (e) {
    // acorn's SyntaxError carries `loc` (0-based column) and appends "(line:col)" to the message.
    const { loc, message } = e as { loc?: { line: number; column: number }; message?: string };
    if (!loc) throw e;
    return [{ line: loc.line, column: loc.column + 1, message: `SyntaxError: ${String(message).replace(/\s*\(\d+:\d+\)$/, '')}` }];
  }
  const problems = [...importProblems(program), ...exportProblems(program, kind)];
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** One line per problem, for a diagnostic's detail. */
export function describeProblems(problems: readonly ImplementationProblem[]): string {
  return problems.map((p) => `line ${p.line}: ${p.message}`).join('\n');
}

function at(node: Node, message: string): ImplementationProblem {
  return { line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1, message };
}

function importProblems(program: Program): ImplementationProblem[] {
  const allowed: readonly string[] = ALLOWED_MODULES;
  const problems: ImplementationProblem[] = [];
  const checkSpecifier = (node: Node, name: unknown) => {
    if (typeof name === 'string' && !allowed.includes(name)) {
      problems.push(at(node, `module "${name}" is not available in the sandbox; allowed modules are ${allowed.join(', ')}`));
    }
  };
  for (const node of program.body) {
    if (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || (node.type === 'ExportNamedDeclaration' && node.source)) {
      checkSpecifier(node, node.source?.value);
    }
  }
  simple(program, {
    ImportExpression(node) {
      problems.push(at(node, `import() is not available in the sandbox; import ${allowed.join(', ')} statically at the top of the module`));
    },
  });
  return problems;
}

function exportProblems(program: Program, kind: ImplementationKind): ImplementationProblem[] {
  const names = allowedExportNames(kind);
  if (!names) return [];
  const problems: ImplementationProblem[] = [];
  const check = (node: Node, name: string) => {
    if (!names.includes(name)) {
      problems.push(at(node, `unknown hook "${name}": ${KIND_LABEL[kind]} may export only ${names.join(', ')}`));
    }
  };
  for (const node of program.body) {
    if (node.type === 'ExportDefaultDeclaration') check(node, 'default');
    else if (node.type === 'ExportAllDeclaration') {
      if (node.exported) check(node, exportedName(node.exported));
      else problems.push(at(node, `export * from "${String(node.source.value)}" re-exports names that are not hooks; export each hook by name`));
    } else if (node.type === 'ExportNamedDeclaration') {
      const declaration = node.declaration;
      if (declaration?.type === 'FunctionDeclaration' || declaration?.type === 'ClassDeclaration') check(node, declaration.id.name);
      else if (declaration?.type === 'VariableDeclaration') {
        for (const declarator of declaration.declarations) for (const name of boundNames(declarator.id)) check(node, name);
      }
      for (const specifier of node.specifiers) check(specifier, exportedName(specifier.exported));
    }
  }
  return problems;
}

function exportedName(node: { type: string; name?: string; value?: unknown }): string {
  return node.type === 'Identifier' ? String(node.name) : String(node.value);
}

/** Names a declaration pattern binds: `const { a, b: [c] } = ...` binds a and c. */
function boundNames(pattern: Pattern): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'ObjectPattern':
      return pattern.properties.flatMap((p) => boundNames(p.type === 'RestElement' ? p.argument : p.value));
    case 'ArrayPattern':
      return pattern.elements.flatMap((e) => (e ? boundNames(e) : []));
    case 'RestElement':
      return boundNames(pattern.argument);
    case 'AssignmentPattern':
      return boundNames(pattern.left);
    default:
      return [];
  }
}
