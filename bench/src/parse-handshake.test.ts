import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHandshake } from './parse-handshake';

test('parses a TLS handshake line', () => {
  const h = parseHandshake('1|6|unix|/tmp/p/p.sock|grpc|MIIBpjCCAUyg\n');
  assert.deepEqual(h, { coreVersion: '1', appVersion: '6', network: 'unix', address: '/tmp/p/p.sock', protocol: 'grpc', serverCert: 'MIIBpjCCAUyg' });
});

test('a plaintext line has an empty certificate', () => {
  assert.equal(parseHandshake('1|6|tcp|127.0.0.1:10001|grpc|').serverCert, '');
});

test('rejects stray output the host would not recognize', () => {
  assert.throws(() => parseHandshake('Debugger listening on ws://...'), /unrecognized plugin handshake/);
  assert.throws(() => parseHandshake('1|6|tcp|127.0.0.1:1|netrpc|'), /protocol netrpc/);
});
