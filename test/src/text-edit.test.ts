import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineOf, linesOf, replaceOnce } from './text-edit';

test('replaceOnce replaces the single occurrence', () => {
  assert.equal(replaceOnce('a = "x"\nb = "y"', '"x"', '"z"'), 'a = "z"\nb = "y"');
});

test('replaceOnce refuses missing and repeated targets', () => {
  assert.throws(() => replaceOnce('abc', 'x', 'y'), /not found/);
  assert.throws(() => replaceOnce('xx', 'x', 'y'), /more than once/);
});

test('lineOf and linesOf count from 1', () => {
  const text = 'one\nname = 1\nthree\nname = 2';
  assert.equal(lineOf(text, 'three'), 3);
  assert.deepEqual(linesOf(text, 'name ='), [2, 4]);
  assert.throws(() => lineOf(text, 'name ='), /found 2/);
});
