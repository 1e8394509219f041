// The codes ApiError can carry, the OpenAPI document the server serves and docs/api-contract.md
// must name the same codes: schemathesis fails a run on any answer whose code the document lacks.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createSchemaAjv, problemCodes } from '@opensym/schemas';
import openApiDocument from '../../../schemas/generated/openapi.json' with { type: 'json' };
import { ApiError } from './api-error';

const problemSchema = (openApiDocument as { components: { schemas: { Problem: { properties: { code: { enum: string[] } } } } } }).components.schemas.Problem;

describe('problem codes', () => {
  it('the served OpenAPI document lists exactly the codes ApiError can carry', () => {
    assert.deepEqual([...problemSchema.properties.code.enum].sort(), [...problemCodes].sort());
  });

  it('every code renders a problem body that the served Problem schema accepts', () => {
    const validate = createSchemaAjv().compile(problemSchema);
    for (const code of problemCodes) {
      const body = new ApiError(code, 'x', [{ pointer: '/a', detail: 'y' }]).toProblem();
      assert.ok(validate(body), `${code}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it('docs/api-contract.md has a row for each code with the status it is sent with, and no other', async () => {
    const doc = await readFile(path.resolve(import.meta.dirname, '../../../docs/api-contract.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    const expected = problemCodes.map((code) => `${code} ${new ApiError(code, 'x').status}`);
    assert.deepEqual(rows.sort(), expected.sort());
  });
});
