/**
 * What a sandboxed implementation may import and export. Shared by the control plane's sandbox
 * (which enforces it when code runs and when it is stored) and the provider (which reports it at
 * `validate`/`plan`, before anything reaches the API). Pure data: safe to load in a worker thread.
 */

/** The module names an implementation may import: the SDK and the HTTP client, nothing else. */
export const ALLOWED_MODULES = ['sym/sdk', 'sym/sdk/strategies', 'sym/sdk/integrations', 'sym/http'] as const;

/** Every name a flow implementation may export: Sym's hooks and reducers. */
export const HOOK_NAMES = [
  'on_request',
  'after_request',
  'on_approve',
  'after_approve',
  'on_deny',
  'after_deny',
  'on_escalate',
  'after_escalate',
  'on_deescalate',
  'after_deescalate',
  'get_approvers',
  'get_approver',
  'get_permissions',
  'get_request_notifications',
  'get_identity',
] as const;

/** A hook or reducer name from {@link HOOK_NAMES}. */
export type HookName = (typeof HOOK_NAMES)[number];

/** The names a flows filter may export (Sym's `get_flows(user, flows, flow_vars)`). */
export const FLOWS_FILTER_HOOK_NAMES = ['get_flows'] as const;

/** What an implementation attribute holds, which decides the rules it is checked against. */
export type ImplementationKind = 'flow' | 'flows-filter' | 'strategy';

/**
 * The names a module of `kind` may export, or undefined when any name is allowed (a strategy
 * module exports its `AccessStrategy` subclass under a name of the author's choosing).
 */
export function allowedExportNames(kind: ImplementationKind): readonly string[] | undefined {
  if (kind === 'flow') return HOOK_NAMES;
  if (kind === 'flows-filter') return FLOWS_FILTER_HOOK_NAMES;
  return undefined;
}

/** The language of an implementation: QuickJS runs JavaScript, a CPython (WASI) interpreter runs Python. */
export type ImplementationLanguage = 'javascript' | 'python';

/**
 * Packages a Python implementation may import with any submodule: Sym's SDK (`sym.sdk.*` and the
 * older `sym.events`, `sym.annotations`, `sym.integrations` paths) and `requests` (mapped onto the
 * sandbox's HTTP host call).
 */
export const PYTHON_SDK_PACKAGES = ['sym', 'requests'] as const;

/** Standard modules a Python implementation may import: data handling only, nothing that reaches files, processes or the network. */
export const PYTHON_STD_MODULES = [
  '__future__',
  'abc',
  'base64',
  'collections',
  'collections.abc',
  'contextlib',
  'copy',
  'dataclasses',
  'datetime',
  'decimal',
  'enum',
  'fractions',
  'functools',
  'hashlib',
  'hmac',
  'itertools',
  'json',
  'math',
  'operator',
  'random',
  're',
  'statistics',
  'string',
  'textwrap',
  'time',
  'typing',
  'urllib.parse',
  'uuid',
] as const;

/** Whether a Python implementation may import module `name` (e.g. `sym.sdk.integrations`, `json`). */
export function isPythonModuleAllowed(name: string): boolean {
  if ((PYTHON_STD_MODULES as readonly string[]).includes(name)) return true;
  // Any public submodule of the SDK's packages; `sym._sdk` and the like stay internal.
  return PYTHON_SDK_PACKAGES.some((pkg) => name === pkg || (name.startsWith(`${pkg}.`) && !name.split('.').some((part) => part.startsWith('_'))));
}

/** The allowed Python imports as one phrase for messages. */
export const PYTHON_ALLOWED_TEXT = `sym.sdk.* (and sym.*), requests, ${PYTHON_STD_MODULES.join(', ')}`;

// Lines that only one of the two languages can start with (after indentation).
const PYTHON_LINE =
  /^(?:from\s+[\w.]+\s+import\b|import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*\s*(?:#.*)?$|(?:async\s+)?def\s+\w+\s*\(.*\)\s*(?:->.*)?:|class\s+\w+\s*(?:\(.*\))?\s*:|@[\w.]+)/;
const JAVASCRIPT_LINE = /^(?:import\s*[{*'"]|import\s+[\w$]+\s*(?:,\s*[{*]|from\b)|export\b|(?:async\s+)?function\b|const\s|let\s|var\s|\/\/|\/\*)/;

/**
 * Which language `source` is written in: the file's extension when there is one (`.py`, `.js`,
 * `.mjs`), otherwise the code itself. Lines only Python can start with (`from x import y`,
 * `import x`, `def f(...):`, `class C(...):`, decorators) against lines only JavaScript can
 * (`import {`/`import x from`, `export`, `function`, `const`/`let`/`var`, `//`); the earlier
 * such line decides, and JavaScript is the default.
 */
export function implementationLanguage(source: string, filename?: string): ImplementationLanguage {
  if (filename && /\.py$/i.test(filename)) return 'python';
  if (filename && /\.m?js$/i.test(filename)) return 'javascript';
  // Line by line without splitting the whole source: the first code line usually decides.
  for (let start = 0; start <= source.length;) {
    const newline = source.indexOf('\n', start);
    const end = newline < 0 ? source.length : newline;
    const line = source.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    if (JAVASCRIPT_LINE.test(line)) return 'javascript';
    if (PYTHON_LINE.test(line)) return 'python';
  }
  return 'javascript';
}
