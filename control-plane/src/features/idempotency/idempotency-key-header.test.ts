// The OpenAPI document's Idempotency-Key pattern must accept exactly what parseIdempotencyKey
// accepts: schemathesis sends values the pattern allows and expects them taken, and values it
// forbids and expects them refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import openApiDocument from '../../../../schemas/generated/openapi.json' with { type: 'json' };
import { ApiError } from '../../errors/api-error';
import { parseIdempotencyKey } from './idempotency-key-header';

interface Parameter {
  name: string;
  in: string;
  schema: { pattern?: string };
}
type Operation = { operationId: string; parameters?: Parameter[] };

/** The `Idempotency-Key` header parameter of every operation of the served document that has one. */
function headerParameters(): [string, Parameter][] {
  const out: [string, Parameter][] = [];
  for (const item of Object.values(openApiDocument.paths as unknown as Record<string, Record<string, Operation>>)) {
    for (const op of Object.values(item)) {
      const p = Array.isArray(op) ? undefined : op.parameters?.find((x) => x.in === 'header' && x.name === 'Idempotency-Key');
      if (p) out.push([op.operationId, p]);
    }
  }
  return out;
}

function accepts(value: string): boolean {
  try {
    parseIdempotencyKey(value);
    return true;
  } catch (err) {
    assert.ok(err instanceof ApiError && err.code === 'invalid_idempotency_key', String(err));
    return false;
  }
}

/** Every string of up to `max` characters over `alphabet`. */
function* strings(alphabet: string[], max: number): Generator<string> {
  let layer = [''];
  for (let n = 0; n <= max; n++) {
    yield* layer;
    layer = layer.flatMap((s) => alphabet.map((c) => s + c));
  }
}

describe('Idempotency-Key header', () => {
  const params = headerParameters();

  it('is documented with the same pattern on the four operations that take it', () => {
    assert.deepEqual(params.map(([id]) => id).sort(), ['approve-request', 'create-request', 'deny-request', 'revoke-request']);
    assert.equal(new Set(params.map(([, p]) => p.schema.pattern)).size, 1);
  });

  it('the documented pattern accepts exactly the field values the server accepts', () => {
    const pattern = new RegExp(params[0]![1].schema.pattern!);
    // Quote, backslash, space and tab are the characters the grammar turns on; U+00A0 and DEL
    // stand for the non-printable rest (U+00A0 is also whitespace to String.prototype.trim).
    const alphabet = ['a', '"', '\\', ' ', '\t', '\u00a0', '\x7f'];
    const long = (n: number, c = 'k') => c.repeat(n);
    const edges = [
      long(255),
      long(256),
      `${long(254)} `,
      `"${long(255)}"`,
      `"${long(256)}"`,
      `"${'\\"'.repeat(255)}"`,
      `"${'\\"'.repeat(256)}"`,
      `"${'\\\\'.repeat(255)}"`,
      '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
      '8e03978e-40d5-43e8-bc93-6894a57f9324',
      '"caf\u00e9"',
      '"a\\b"',
      'a"b',
      '"a"b"',
      '"a\\"',
    ];
    let checked = 0;
    for (const value of [...strings(alphabet, 5), ...edges]) {
      // HTTP strips spaces and tabs around a field value before the server sees it; the pattern
      // describes the value without them.
      if (/^[ \t]|[ \t]$/.test(value)) continue;
      assert.equal(pattern.test(value), accepts(value), JSON.stringify(value));
      checked++;
    }
    assert.ok(checked > 10_000);
  });

  it('ignores the spaces and tabs around the value that HTTP allows, and nothing else', () => {
    assert.equal(parseIdempotencyKey(' \t"k" '), 'k');
    assert.equal(accepts('\u00a0k'), false);
  });
});
