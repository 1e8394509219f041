import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { problemCodes, problemJsonSchema, requestJsonSchema, requestStates } from '@opensym/schemas';
import { ApiError } from '../errors/api-error';
import { REQUEST_STATES } from '../features/requests/request-states';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'generated' || entry.name === 'dist') return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? tsFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

// Hand-written shapes of API bodies the schemas already declare (the types come from `@opensym/schemas`).
const redeclared = /^\s*(export\s+)?(interface|type)\s+(RequestView|AuditEventResponse|UserResponse|TokenResponse|IssuedTokenResponse|RequestInput|DecisionInput|ProblemCode)\b(?!\s*=\s*[A-Z]\w*;)/m;
// A literal list of the request states: 'pending', 'approved', 'denied' in a row.
const stateList = /\[\s*(\/\*\*[^]*?\*\/\s*)?'pending',\s*(\/\*\*[^]*?\*\/\s*)?'approved',\s*'denied'/;

describe('the API contract is written once', () => {
  it('the control plane stores the request states the schema declares (the same list, not a copy)', () => {
    assert.equal(REQUEST_STATES, requestStates);
    assert.deepEqual((requestJsonSchema.properties as { state: { enum: unknown } }).state.enum, requestStates);
  });

  it('every problem code the control plane answers with is one the Problem schema documents', () => {
    assert.deepEqual((problemJsonSchema.properties as { code: { enum: unknown } }).code.enum, problemCodes);
    for (const code of problemCodes) assert.equal(new ApiError(code, 'x').toProblem().code, code);
  });

  it('no TypeScript outside @opensym/schemas re-declares an API body or the list of states', () => {
    const roots = ['control-plane/src', 'control-plane/scripts', 'provider/src', 'test/e2e', 'test/src'].map((d) => join(repoRoot, d));
    const offenders = roots
      .flatMap((root) => {
        try {
          return tsFiles(root);
        } catch {
          return [];
        }
      })
      .filter((file) => !file.endsWith('api-types-once.test.ts'))
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        return redeclared.test(text) || stateList.test(text);
      })
      .map((file) => relative(repoRoot, file));
    assert.deepEqual(offenders, []);
  });

  it('the patterns catch a copy', () => {
    assert.ok(redeclared.test('export interface RequestView {\n  id: string;\n}'));
    assert.ok(redeclared.test('type AuditEventResponse = { id: string }'));
    assert.ok(!redeclared.test('export type RequestView = AccessRequest;'));
    assert.ok(!redeclared.test("import { view, type RequestView } from './request-view';"));
    assert.ok(stateList.test("const states = ['pending', 'approved', 'denied', 'ignored']"));
  });
});
