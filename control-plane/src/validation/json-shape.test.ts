import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { jsonShapeErrors, MAX_BODY_DEPTH, queryTextErrors } from './json-shape';

/** `levels` nested objects `{"a": ...}` around `leaf`. */
const nest = (levels: number, leaf: unknown = 1): unknown => (levels === 0 ? leaf : { a: nest(levels - 1, leaf) });

describe('jsonShapeErrors', () => {
  it('points at every string and key holding U+0000, in document order', () => {
    const body = { a: 'ok', b: ['x', 'y\u0000'], 'c\u0000': 'anything', d: { e: '\u0000' } };
    assert.deepEqual(
      jsonShapeErrors(body).map((e) => e.pointer),
      ['/b/1', '/c\u0000', '/d/e'],
    );
    assert.deepEqual(
      jsonShapeErrors({ 'a/b~': 'x\u0000' }).map((e) => e.pointer),
      ['/a~1b~0'],
    );
  });

  it('accepts MAX_BODY_DEPTH levels and points at the first value beyond them', () => {
    assert.deepEqual(jsonShapeErrors(nest(MAX_BODY_DEPTH - 1, {})), []);
    const errors = jsonShapeErrors(nest(MAX_BODY_DEPTH, {}));
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.pointer, '/a'.repeat(MAX_BODY_DEPTH));
  });

  it('judges a clean body without building a path per value (the walk runs only for errors)', () => {
    const body = { flow: 'f', flow_inputs: { reason: 'on call', list: [1, 'two', null, { deep: nest(10, 'leaf') }] } };
    const entries = mock.method(Object, 'entries');
    try {
      assert.deepEqual(jsonShapeErrors(body), []);
      assert.equal(entries.mock.callCount(), 0);
    } finally {
      entries.mock.restore();
    }
    // The quick check finds what the walk finds, at every place a problem can be.
    assert.equal(jsonShapeErrors({ ...body, x: [[{ y: 'a\u0000' }]] })[0]!.pointer, '/x/0/0/y');
    assert.equal(jsonShapeErrors({ ...body, x: { ['k\u0000']: 1 } })[0]!.pointer, '/x/k\u0000');
    assert.equal(jsonShapeErrors([body, nest(MAX_BODY_DEPTH - 1, [])])[0]!.pointer, '/1' + '/a'.repeat(MAX_BODY_DEPTH - 1));
    assert.deepEqual(jsonShapeErrors('\u0000'), [{ pointer: '', detail: 'must not contain the NUL character (U+0000)' }]);
  });

  it('walks 100,000 levels without recursion and lists at most 20 errors', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.match(jsonShapeErrors(deep)[0]!.detail, /nested deeper/);
    assert.equal(jsonShapeErrors(Array(1000).fill('\u0000')).length, 20);
  });
});

describe('queryTextErrors', () => {
  it('points at a parameter whose value (given once or repeated) or name holds U+0000', () => {
    assert.deepEqual(
      queryTextErrors({ a: 'ok', b: ['ok', 'x\u0000'], 'c\u0000': 'ok' }).map((e) => e.pointer),
      ['/b', '/c\u0000'],
    );
  });
});
