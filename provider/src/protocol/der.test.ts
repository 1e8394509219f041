import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { derLength, directoryString, oid, time, unsignedInteger } from './der';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('DER encoding', () => {
  it('writes lengths in short form below 128 and long form above', () => {
    assert.equal(hex(derLength(0)), '00');
    assert.equal(hex(derLength(127)), '7f');
    assert.equal(hex(derLength(128)), '8180');
    assert.equal(hex(derLength(300)), '82012c');
  });

  it('writes object identifiers with base-128 arcs (X.690 §8.19)', () => {
    assert.equal(hex(oid('2.5.4.3')), '0603550403');
    assert.equal(hex(oid('1.2.840.10045.4.3.2')), '06082a8648ce3d040302');
    assert.equal(hex(oid('1.3.6.1.5.5.7.3.1')), '06082b06010505070301');
  });

  it('keeps integers positive and minimal', () => {
    assert.equal(hex(unsignedInteger(Buffer.of(2))), '020102');
    assert.equal(hex(unsignedInteger(Buffer.of(0x80))), '02020080');
    assert.equal(hex(unsignedInteger(Buffer.of(0, 0, 0x7f))), '02017f');
    assert.equal(hex(unsignedInteger(Buffer.of(0))), '020100');
  });

  it('uses PrintableString where Go would and UTF8String otherwise', () => {
    assert.equal(hex(directoryString('localhost')), `1309${Buffer.from('localhost').toString('hex')}`);
    assert.equal(directoryString('Zürich AG')[0], 0x0c);
    assert.equal(directoryString('a&b')[0], 0x0c);
  });

  it('writes UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280)', () => {
    assert.equal(time(new Date('2026-12-01T13:24:43.999Z')).toString('latin1'), '\x17\x0d261201132443Z');
    assert.equal(time(new Date('2050-01-01T00:00:00Z')).toString('latin1'), '\x18\x0f20500101000000Z');
  });
});
