import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode, encode, ExtData } from '@msgpack/msgpack';
import { readMsgpack } from './msgpack-reader';

const asExt = (type: number, data: Uint8Array) => new ExtData(type, data.slice());
const read = (bytes: Uint8Array) => readMsgpack(bytes, asExt);
const fromHex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));
// Null-prototype maps compare equal to @msgpack/msgpack's plain ones only by content.
const plain = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(plain)
    : v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && !(v instanceof ExtData)
      ? Object.fromEntries(Object.entries(v).map(([k, e]) => [k, plain(e)]))
      : v;

describe('msgpack reader', () => {
  // Each value exercises a different format family; the reference decoder must agree.
  const cases: { name: string; value: unknown }[] = [
    { name: 'nil, bools', value: [null, true, false] },
    { name: 'fixints', value: [0, 127, -1, -32] },
    { name: 'uint 8/16/32', value: [128, 255, 256, 65535, 65536, 2 ** 32 - 1] },
    { name: 'int 8/16/32', value: [-33, -128, -129, -32768, -32769, -(2 ** 31)] },
    { name: 'uint64 and int64 as bigint', value: [2n ** 64n - 1n, -(2n ** 63n), 2n ** 53n + 1n] },
    { name: 'float64', value: [1.5, -0.1, Number.MAX_VALUE] },
    { name: 'str fix/8/16/32', value: ['', 'ä✓', 'x'.repeat(31), 'y'.repeat(200), 'z'.repeat(70_000)] },
    { name: 'bin 8/16', value: [Uint8Array.of(1, 2), new Uint8Array(300).fill(7)] },
    { name: 'array 16 and map 16', value: [Array.from({ length: 20 }, (_, i) => i), Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]))] },
    { name: 'ext fix/8', value: [new ExtData(0, Uint8Array.of(0)), new ExtData(12, Uint8Array.of(1, 2, 3)), new ExtData(5, new Uint8Array(40))] },
    { name: 'nested maps and arrays', value: { a: [{ b: { c: [1, 'two', null] } }], d: {} } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const bytes = encode(c.value, { useBigInt64: true });
      const reference = decode(bytes, { useBigInt64: true, extensionCodec: { tryToEncode: () => null, decode: (data, type) => asExt(type, data) } });
      assert.deepEqual(plain(read(bytes)), reference);
    });
  }

  it('reads float32 and 32-bit lengths, which the reference encoder never writes for these values', () => {
    assert.equal(read(fromHex('ca 3fc00000')), 1.5);
    assert.equal(read(fromHex('db 00000002 6869')), 'hi');
    assert.deepEqual(read(fromHex('dd 00000001 01')), [1]);
    assert.deepEqual(plain(read(fromHex('df 00000001 a161 02'))), { a: 2 });
    assert.deepEqual(read(fromHex('c6 00000001 ff')), Uint8Array.of(0xff));
    assert.deepEqual(read(fromHex('c9 00000001 07 aa')), new ExtData(7, Uint8Array.of(0xaa)));
  });

  it('keeps __proto__ and Object.prototype names as plain keys of a null-prototype map', () => {
    const map = read(fromHex('83 a95f5f70726f746f5f5f a178 ab636f6e7374727563746f72 01 a8746f537472696e67 c0')) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(map), null);
    assert.deepEqual(Object.keys(map), ['__proto__', 'constructor', 'toString']);
    assert.equal(map['__proto__'], 'x');
    assert.equal(map.constructor, 1);
  });

  it('hands extensions with their type and payload to the caller', () => {
    assert.equal(
      readMsgpack(fromHex('d4 00 00'), (type, data) => `ext ${type}:${data.length}`),
      'ext 0:1',
    );
    assert.equal(
      readMsgpack(fromHex('d5 ff 0102'), (type) => type),
      -1,
    );
  });

  it('rejects truncated, trailing, forged and unsupported input with a clear error', () => {
    const bad: [string, RegExp][] = [
      ['', /offset 0: unexpected end of data/],
      ['a3 6869', /unexpected end of data/],
      ['cd 01', /unexpected end of data/],
      ['92 01 a3 68', /offset 3: unexpected end of data/],
      ['92 01', /length 2 exceeds the data/],
      ['01 02', /offset 1: trailing bytes/],
      ['dd ffffffff 01', /length 4294967295 exceeds the data/],
      ['df 7fffffff', /exceeds the data/],
      ['81 01 02', /map key is a number, not a string/],
      ['c1', /offset 0: unused type byte 0xc1/],
    ];
    for (const [h, message] of bad) assert.throws(() => read(fromHex(h)), message, h);
    assert.throws(() => read(fromHex('91'.repeat(1001) + 'c0')), /nested too deeply/);
  });
});
