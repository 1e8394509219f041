import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode, encode, ExtData } from '@msgpack/msgpack';
import { UNKNOWN, type TfValue } from './values';
import { decodeDynamicValue, decodeJson, decodeMsgpack, encodeMsgpack } from './cty-codec';
import type { CtyType } from './cty-type';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const roundTrip = (v: TfValue, t: CtyType): TfValue => decodeMsgpack(encodeMsgpack(v, t), t);

// A nested block shape like the provider's schemas: object with list, set and map of objects.
const NESTED: CtyType = [
  'object',
  {
    id: 'string',
    count: 'number',
    enabled: 'bool',
    tags: ['map', 'string'],
    rules: ['list', ['object', { name: 'string', weight: 'number' }]],
    owners: ['set', 'string'],
    groups: ['map', ['object', { members: ['list', 'string'] }]],
  },
];

describe('cty msgpack codec: round trips', () => {
  const cases: { name: string; type: CtyType; value: TfValue }[] = [
    { name: 'string', type: 'string', value: 'hello ✓' },
    { name: 'empty string', type: 'string', value: '' },
    { name: 'integer', type: 'number', value: 42 },
    { name: 'negative float', type: 'number', value: -1.5 },
    { name: 'bool', type: 'bool', value: false },
    { name: 'null', type: 'string', value: null },
    { name: 'unknown', type: 'string', value: UNKNOWN },
    { name: 'list with null and unknown elements', type: ['list', 'string'], value: ['a', null, UNKNOWN] },
    { name: 'known map with unknown elements', type: ['map', 'number'], value: { a: 1, b: UNKNOWN } },
    { name: 'empty set', type: ['set', 'string'], value: [] },
    { name: 'tuple', type: ['tuple', ['string', 'number', 'bool']], value: ['x', 7, true] },
    {
      name: 'nested objects, lists, sets and maps',
      type: NESTED,
      value: {
        id: 'abc',
        count: 3,
        enabled: true,
        tags: { env: 'prod', team: UNKNOWN },
        rules: [
          { name: 'r1', weight: 0.25 },
          { name: 'r2', weight: UNKNOWN },
        ],
        owners: ['alice', 'bob'],
        groups: { admins: { members: ['carol'] }, empty: { members: null } },
      },
    },
    { name: 'object with unknown attributes and a null collection', type: NESTED, value: { id: UNKNOWN, count: null, enabled: null, tags: null, rules: UNKNOWN, owners: null, groups: null } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(roundTrip(c.value, c.type), c.value));

  it('keeps map keys that name Object.prototype members as plain data', () => {
    const value: TfValue = { constructor: 'x', hasOwnProperty: 'y', toString: 'z' };
    assert.deepEqual(roundTrip(value, ['map', 'string']), value);
  });

  it('keeps a __proto__ map key from state JSON as an own key, not a prototype change', () => {
    const back = decodeJson('{"__proto__": "x"}', ['map', 'string']) as Record<string, TfValue>;
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
    assert.deepEqual(Object.keys(back), ['__proto__']);
  });
});

describe('cty codec: __proto__ is a plain key', () => {
  // Built with defineProperty: a literal `{ __proto__: ... }` would set the prototype instead.
  const withProto = (value: TfValue, rest: Record<string, TfValue> = {}): Record<string, TfValue> => {
    const out: Record<string, TfValue> = {};
    Object.defineProperty(out, '__proto__', { value, enumerable: true, writable: true, configurable: true });
    return Object.assign(out, rest);
  };
  const assertOwnProto = (v: TfValue, expected: TfValue) => {
    const obj = v as Record<string, TfValue>;
    assert.equal(Object.getPrototypeOf(obj), Object.prototype, 'the prototype is untouched');
    assert.ok(Object.hasOwn(obj, '__proto__'), '__proto__ is an own key');
    assert.deepEqual(Object.getOwnPropertyDescriptor(obj, '__proto__')?.value, expected);
  };

  it('decodes a map(string) with key __proto__ as the host sends it', () => {
    // fixmap(2) {"__proto__": "x", "a": "b"}, as go-cty writes it.
    const bytes = Buffer.from('82a95f5f70726f746f5f5fa178a161a162', 'hex');
    const back = decodeMsgpack(bytes, ['map', 'string']);
    assertOwnProto(back, 'x');
    assert.deepEqual(Object.keys(back as object), ['__proto__', 'a']);
    assert.equal(({} as Record<string, unknown>).x, undefined, 'Object.prototype is not polluted');
  });

  it('round-trips __proto__ keys byte for byte in maps, maps of objects and nested maps', () => {
    const cases: { type: CtyType; value: TfValue }[] = [
      { type: ['map', 'string'], value: withProto('x', { a: 'b' }) },
      { type: ['map', 'string'], value: withProto(null) },
      { type: ['map', 'string'], value: withProto(UNKNOWN) },
      { type: ['map', ['object', { members: ['list', 'string'] }]], value: withProto({ members: ['carol'] }) },
      { type: ['map', ['map', 'number']], value: { outer: withProto(1, { b: 2 }) } },
      { type: NESTED, value: { id: 'i', count: 1, enabled: true, tags: withProto('t'), rules: [], owners: [], groups: withProto({ members: null }) } },
    ];
    for (const { type, value } of cases) {
      const bytes = encodeMsgpack(value, type);
      const back = decodeMsgpack(bytes, type);
      assert.deepEqual(back, value);
      assert.equal(hex(encodeMsgpack(back, type)), hex(bytes));
    }
    assertOwnProto(roundTrip(withProto('x'), ['map', 'string']), 'x');
    assertOwnProto((roundTrip({ outer: withProto(1) }, ['map', ['map', 'number']]) as Record<string, TfValue>).outer!, 1);
  });

  it('writes the __proto__ key on the wire instead of dropping it as a prototype', () => {
    assert.equal(hex(encodeMsgpack(withProto('x'), ['map', 'string'])), '81a95f5f70726f746f5f5fa178');
  });

  it('round-trips a dynamic value with an attribute named __proto__ (inferred and sent type JSON)', () => {
    const value = withProto('x', { b: 1 });
    const back = decodeMsgpack(encodeMsgpack(value, 'dynamic'), 'dynamic');
    assertOwnProto(back, 'x');
    assert.deepEqual(back, value);
    // As a host sends it: [type JSON as str, value], the value a map with key __proto__.
    const hostValue: Record<string, unknown> = Object.create(null);
    hostValue['__proto__'] = 'y';
    assertOwnProto(decodeMsgpack(encode(['["object",{"__proto__":"string"}]', hostValue]), 'dynamic'), 'y');
  });

  it('decodes __proto__ map keys and attributes from JSON DynamicValues too', () => {
    assertOwnProto(decodeDynamicValue({ json: Buffer.from('{"__proto__":"x"}') }, ['map', 'string']), 'x');
    assertOwnProto(decodeJson('{"value":{"__proto__":"y"},"type":["object",{"__proto__":"string"}]}', 'dynamic'), 'y');
  });
});

describe('cty msgpack codec: wire form', () => {
  it('writes unknown as go-cty does: ext type 0 with one zero byte (d4 00 00)', () => {
    assert.equal(hex(encodeMsgpack(UNKNOWN, 'string')), 'd40000');
  });

  it('reads a refined unknown (ext 12 with a refinement map) from Terraform ≥ 1.6 as unknown', () => {
    // Refinements: 1 = nullness (false), 2 = string prefix "arn:".
    const payload = encode(
      new Map<number, unknown>([
        [1, false],
        [2, 'arn:'],
      ]),
    );
    const bytes = encode(new ExtData(12, payload));
    assert.equal(decodeMsgpack(bytes, 'string'), UNKNOWN);
  });

  it('reads unknown elements inside a known map and a known list', () => {
    const map = encode({ a: 'x', b: new ExtData(0, Uint8Array.of(0)) });
    assert.deepEqual(decodeMsgpack(map, ['map', 'string']), { a: 'x', b: UNKNOWN });
    const list = encode([new ExtData(12, encode(new Map([[1, false]]))), 'y']);
    assert.deepEqual(decodeMsgpack(list, ['list', 'string']), [UNKNOWN, 'y']);
  });

  it('writes every attribute of an object, missing ones as null, and drops keys the type lacks', () => {
    const t: CtyType = ['object', { a: 'string', b: 'number' }];
    assert.deepEqual(decode(encodeMsgpack({ a: 'x', extra: 'dropped' } as TfValue, t)), { a: 'x', b: null });
  });

  it('fills missing object attributes with null and drops unknown keys when decoding', () => {
    const t: CtyType = ['object', { a: 'string', b: ['list', 'string'] }];
    assert.deepEqual(decodeMsgpack(encode({ a: 'x', stale: 1 }), t), { a: 'x', b: null });
  });

  it('treats absent or empty DynamicValue bytes as null and falls back to the JSON form', () => {
    assert.equal(decodeDynamicValue(undefined, 'string'), null);
    assert.equal(decodeDynamicValue({ msgpack: new Uint8Array(0) }, 'string'), null);
    assert.deepEqual(decodeDynamicValue({ json: Buffer.from('{"a":"x"}') }, ['object', { a: 'string', b: 'bool' }]), { a: 'x', b: null });
  });

  it('converts strings, numbers and bools across primitive types as cty does', () => {
    assert.equal(decodeMsgpack(encode(12), 'string'), '12');
    assert.equal(decodeMsgpack(encode('12.5'), 'number'), 12.5);
    assert.equal(decodeMsgpack(encode('true'), 'bool'), true);
    assert.equal(decode(encodeMsgpack('3', 'number')), 3);
  });

  it('wraps dynamic values with their type JSON and unwraps them on decode', () => {
    const bytes = encodeMsgpack({ a: 1, b: ['x'] }, 'dynamic');
    const [typeJson, value] = decode(bytes) as [Uint8Array, unknown];
    assert.deepEqual(JSON.parse(Buffer.from(typeJson).toString()), ['object', { a: 'number', b: ['tuple', ['string']] }]);
    assert.deepEqual(value, { a: 1, b: ['x'] });
    assert.deepEqual(decodeMsgpack(bytes, 'dynamic'), { a: 1, b: ['x'] });
    // Hosts send the type JSON as a str as well as a bin.
    assert.deepEqual(decodeMsgpack(encode(['["list","string"]', ['p', 'q']]), 'dynamic'), ['p', 'q']);
  });

  it('rejects values of the wrong kind without echoing them (they may be secrets)', () => {
    assert.throws(
      () => encodeMsgpack({ token: 's3cret' } as TfValue, 'string'),
      (e: Error) => /\(root\) is a object/.test(e.message) && !e.message.includes('s3cret'),
    );
    assert.throws(
      () => decodeMsgpack(encode(['s3cret']), ['object', { a: 'string' }]),
      (e: Error) => !e.message.includes('s3cret'),
    );
    assert.throws(() => encodeMsgpack(Number.NaN, 'number'), TypeError);
  });
});

describe('cty numbers beyond float64', () => {
  it('keeps integers beyond 2^53 exact through msgpack (int64 and uint64)', () => {
    const big = 2n ** 53n + 1n;
    assert.equal(roundTrip(big, 'number'), big);
    assert.equal(roundTrip(-(2n ** 63n), 'number'), -(2n ** 63n));
    assert.equal(roundTrip(2n ** 64n - 1n, 'number'), 2n ** 64n - 1n);
  });

  it('writes integers wider than 64 bits as decimal strings, which hosts accept', () => {
    const huge = 2n ** 70n;
    assert.equal(decode(encodeMsgpack(huge, 'number')), huge.toString());
    assert.equal(decodeMsgpack(encodeMsgpack(huge, 'number'), 'number'), huge);
  });

  it('narrows int64s that fit to plain numbers', () => {
    assert.equal(decodeMsgpack(encode(2n ** 40n, { useBigInt64: true }), 'number'), 2 ** 40);
  });

  it('keeps decimals with more than 15 significant digits as exact strings', () => {
    assert.equal(roundTrip('0.1000000000000000055511151231257827', 'number'), '0.1000000000000000055511151231257827');
    assert.equal(decodeMsgpack(encode('123456789.123456789'), 'number'), '123456789.123456789');
    assert.equal(decodeMsgpack(encode('0.25'), 'number'), 0.25);
  });

  it('parses numbers in state JSON exactly', () => {
    const t: CtyType = ['object', { id: 'number', ratio: 'number', small: 'number' }];
    assert.deepEqual(decodeJson('{"id": 9007199254740993, "ratio": 3.14159265358979323846, "small": 1e3}', t), {
      id: 9007199254740993n,
      ratio: '3.14159265358979323846',
      small: 1000,
    });
  });
});
