/**
 * The provider's layers, checked on every import: main/launcher → sym → resources → framework →
 * protocol, as terraform-plugin-go (tfprotov6) and terraform-plugin-framework draw them. The
 * control-plane client is used by sym and resources only; protocol imports nothing of ours and
 * never reads the schema model or the generated schema (it is handed the schema). Test files
 * obey the rules of their folder.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

type Layer = 'main' | 'sym' | 'resources' | 'framework' | 'protocol' | 'client';
/** What an import can reach besides our layers: the schema model package and the generated schema files. */
type Target = Layer | 'schema-model' | 'generated-schema';

/** Who may import whom. A layer may always import within itself. */
const ALLOWED: Record<Layer, readonly Target[]> = {
  main: ['sym', 'resources', 'framework', 'protocol', 'schema-model', 'generated-schema'],
  sym: ['resources', 'framework', 'protocol', 'client', 'schema-model'],
  resources: ['framework', 'protocol', 'client', 'schema-model'],
  framework: ['protocol', 'schema-model'],
  protocol: [],
  client: [],
};

const PROVIDER = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(PROVIDER, '..');

/** The layer of a file under provider/: its folder under src/; entry points and build scripts are main. */
export function layerOf(file: string): Layer {
  const rel = relative(join(PROVIDER, 'src'), file).split(sep);
  const folder = rel.length > 1 && rel[0] !== '..' ? rel[0] : undefined;
  return folder === 'sym' || folder === 'resources' || folder === 'framework' || folder === 'protocol' || folder === 'client' ? folder : 'main';
}

/** What a module specifier in `file` reaches; undefined for Node built-ins and other packages. */
function targetOf(file: string, specifier: string): Target | undefined {
  if (specifier === '@opensym/schemas' || specifier.startsWith('@opensym/schemas/')) return 'schema-model';
  if (!specifier.startsWith('.')) return undefined;
  const path = resolve(dirname(file), specifier);
  if (path.startsWith(join(REPO, 'schemas') + sep)) return path.includes(`${sep}generated${sep}`) ? 'generated-schema' : 'schema-model';
  return layerOf(path);
}

/** One import that crosses the layers the wrong way. */
export interface Violation {
  file: string;
  specifier: string;
  from: Layer;
  to: Target;
}

/** Every wrong-way import in `source` (the text of `file`): static, type-only, re-exports and import(). */
export function violations(file: string, source: string): Violation[] {
  const from = layerOf(file);
  const found: Violation[] = [];
  // TypeScript's own scanner: multi-line imports, `import type`, `export … from` and import() included.
  for (const { fileName: specifier } of ts.preProcessFile(source, true, true).importedFiles) {
    const to = targetOf(file, specifier);
    if (to === undefined || to === from || ALLOWED[from].includes(to)) continue;
    found.push({ file: relative(PROVIDER, file), specifier, from, to });
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts)$/.test(e.name) ? [path] : [];
  });
}

describe('provider layers', () => {
  it('no file imports across the layers the wrong way', () => {
    const files = [...sourceFiles(join(PROVIDER, 'src')), ...sourceFiles(join(PROVIDER, 'scripts'))];
    assert.ok(files.length > 50, 'found the sources');
    const wrong = files.flatMap((f) => violations(f, readFileSync(f, 'utf8')));
    assert.deepEqual(
      wrong.map((v) => `${v.file}: ${v.from} must not import ${v.to} (${v.specifier})`),
      [],
    );
  });

  const at = (path: string) => join(PROVIDER, 'src', path);
  it('catches each kind of wrong import', () => {
    const cases: [string, string, Target][] = [
      ['protocol/serve.ts', "import type { Resource } from '../framework/resource';", 'framework'],
      ['protocol/x.ts', "import wire from '../../../schemas/generated/provider-schema.json' with { type: 'json' };", 'generated-schema'],
      ['protocol/x.ts', "export { providerSpec } from '@opensym/schemas';", 'schema-model'],
      ['framework/plan.ts', "import {\n  ApiError,\n} from '../client/api-error';", 'client'],
      ['framework/x.ts', "const m = await import('../sym/sym-provider');", 'sym'],
      ['resources/x.ts', "import { createSymProvider } from '../sym/sym-provider';", 'sym'],
      ['main.ts', "import { ApiClient } from './client/api-client';", 'client'],
      ['client/x.ts', "import type { TfValue } from '../protocol/values';", 'protocol'],
    ];
    for (const [file, source, to] of cases) {
      const [v, ...rest] = violations(at(file), source);
      assert.equal(rest.length, 0, source);
      assert.equal(v?.to, to, source);
    }
  });

  it('lets the right direction through', () => {
    assert.deepEqual(violations(at('sym/x.ts'), "import { ApiClient } from '../client/api-client';\nimport { EntityResource } from '../resources/entity-resource';"), []);
    assert.deepEqual(violations(at('framework/x.ts'), "import type { TfValue } from '../protocol/values';\nimport type { ResourceSpec } from '@opensym/schemas';"), []);
    assert.deepEqual(violations(at('protocol/x.ts'), "import * as grpc from '@grpc/grpc-js';\nimport { rmSync } from 'node:fs';\nimport { setOwn } from './set-own';"), []);
    assert.deepEqual(violations(at('main.ts'), "import wire from '../../schemas/generated/provider-schema.json' with { type: 'json' };"), []);
  });
});
