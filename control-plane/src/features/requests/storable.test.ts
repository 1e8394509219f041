// storableJson: U+0000 and unpaired surrogates (values and keys) become U+FFFD; clean values,
// the usual case, come back as they are without a walk over every value.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import type { JsonValue } from '@opensym/schemas';
import { storableJson, storableText } from './storable';

describe('storableJson', () => {
  it('replaces U+0000 and unpaired surrogates in values and keys, and says so', () => {
    const value: JsonValue = { a: 'x\u0000y', ['k\u0000']: [1, '\uD800', { b: 'z\uDC00' }], pair: '\uD83D\uDE00', n: null, t: true };
    const out = storableJson(value);
    assert.equal(out.changed, true);
    assert.deepEqual(out.value, { a: 'x\uFFFDy', ['k\uFFFD']: [1, '\uFFFD', { b: 'z\uFFFD' }], pair: '\uD83D\uDE00', n: null, t: true });
    assert.deepEqual(storableJson(['\uDBFF']).value, ['\uFFFD']);
    assert.deepEqual(storableJson('\u0000').value, '\uFFFD');
  });

  it('gives back a clean value itself, paired surrogates and escape-like text included', () => {
    for (const value of [{ a: 'plain', emoji: '\uD83D\uDE00', list: [1, 2.5, null, false] }, { text: '\\u0000 and \\ud800 as typed' }, 'text', 3, null, undefined] as (JsonValue | undefined)[]) {
      const out = storableJson(value);
      assert.equal(out.changed, false, JSON.stringify(value));
      assert.equal(out.value, value);
    }
  });

  it('does not walk a clean value', () => {
    const entries = mock.method(Object, 'entries');
    try {
      storableJson({ fields: { reason: 'bench' }, output: { type: 'approve' }, list: ['a', 'b'] });
      assert.equal(entries.mock.callCount(), 0);
    } finally {
      entries.mock.restore();
    }
  });

  it('storableText replaces the same characters', () => {
    assert.equal(storableText('a\u0000b\uD800c\uD83D\uDE00'), 'a\uFFFDb\uFFFDc\uD83D\uDE00');
  });
});
