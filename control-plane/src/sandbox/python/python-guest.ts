// The Python the guest interpreter runs before any user code: the runner (job loop, import
// guard, plan-time checks) and Sym's SDK, from `guest/*.py`. They reach the interpreter as the
// first line of its standard input, so the interpreter itself is started with a one-line program.
import { readFileSync } from 'node:fs';
import { PYTHON_ALLOWED_TEXT, PYTHON_SDK_PACKAGES, PYTHON_STD_MODULES } from '@opensym/schemas/implementation-rules';

/** Modules imported while the interpreter boots (the runner needs json; the rest load on first import, each costing boot time). */
const PRELOAD = ['json'];

/** The build's inlined copy of `guest/*.py` (scripts/build.mjs); undefined from TypeScript sources. */
declare const __SYM_PYTHON_GUEST_SOURCES__: Readonly<Record<string, string>> | undefined;

/** Reads `guest/runner.py` and `guest/sdk.py`: inlined by the build, or from the folder next to this file. */
export function loadPythonGuestSources(): { runner: string; sdk: string } {
  const inlined = typeof __SYM_PYTHON_GUEST_SOURCES__ === 'undefined' ? undefined : __SYM_PYTHON_GUEST_SOURCES__;
  const read = (file: string) => {
    const source = inlined ? inlined[file] : readFileSync(new URL(`./guest/${file}`, import.meta.url), 'utf8');
    if (source === undefined) throw new Error(`python guest file ${file} is missing from the build`);
    return source;
  };
  return { runner: read('runner.py'), sdk: read('sdk.py') };
}

let boot: string | undefined;

/** The first line of every interpreter's standard input (JSON): runner, SDK and import rules. */
export function bootLine(): string {
  boot ??= JSON.stringify({
    ...loadPythonGuestSources(),
    allowed: [...PYTHON_STD_MODULES, ...PYTHON_SDK_PACKAGES],
    allowedText: PYTHON_ALLOWED_TEXT,
    preload: PRELOAD,
  });
  return boot;
}

/**
 * The interpreter's command line: isolated mode, no `site`, no bytecode writing, and a program
 * that reads the boot line and runs the runner in a namespace of its own.
 */
export function pythonArgv(): string[] {
  const program =
    "import sys,json;BOOT=json.loads(sys.stdin.buffer.readline());exec(compile(BOOT['runner'],'sym/_runner.py','exec'),{'__name__':'sym._runner','BOOT':BOOT,'__builtins__':__builtins__})";
  return ['python', '-I', '-S', '-B', '-c', program];
}
