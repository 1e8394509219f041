import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { describe, it } from 'node:test';
import { createSelfSignedCertificate, NOT_BEFORE_SKEW_MS, VALIDITY_MS } from './tls-certificate';

describe('AutoMTLS certificate', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const cert = createSelfSignedCertificate({ now });
  const x509 = new X509Certificate(cert.certDer);

  it('is a self-signed localhost CA certificate, as go-plugin makes', () => {
    assert.equal(x509.subject, 'CN=localhost\nO=OpenSym');
    assert.equal(x509.issuer, x509.subject);
    assert.equal(x509.subjectAltName, 'DNS:localhost');
    assert.equal(x509.checkHost('localhost'), 'localhost');
    assert.equal(x509.ca, true);
    assert.ok(x509.verify(x509.publicKey), 'signed by its own key');
    assert.ok(x509.checkIssued(x509));
  });

  it('allows server and client authentication', () => {
    assert.deepEqual([...(x509.keyUsage ?? [])].sort(), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  });

  it('uses an ECDSA P-256 key matching the private key, with a positive 128-bit serial', () => {
    assert.equal(x509.publicKey.asymmetricKeyType, 'ec');
    assert.equal(x509.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(x509.checkPrivateKey(createPrivateKey(cert.keyPem)));
    assert.match(x509.serialNumber, /^[4-7][0-9A-F]{31}$/);
  });

  it('is backdated for clock skew and valid for 30 days', () => {
    assert.equal(new Date(x509.validFrom).getTime(), now.getTime() - NOT_BEFORE_SKEW_MS);
    assert.equal(new Date(x509.validTo).getTime(), now.getTime() + VALIDITY_MS);
  });

  it('differs on every call (fresh key and serial)', () => {
    const other = new X509Certificate(createSelfSignedCertificate().certDer);
    assert.notEqual(other.serialNumber, x509.serialNumber);
    assert.notEqual(other.fingerprint256, x509.fingerprint256);
  });

  it('PEM and DER carry the same certificate', () => {
    assert.equal(new X509Certificate(cert.certPem).fingerprint256, x509.fingerprint256);
  });

  it('makes P-384 and P-521 certificates signed with the matching hash', () => {
    for (const [curve, named] of [
      ['P-384', 'secp384r1'],
      ['P-521', 'secp521r1'],
    ] as const) {
      const c = new X509Certificate(createSelfSignedCertificate({ curve, organization: 'HashiCorp' }).certDer);
      assert.equal(c.publicKey.asymmetricKeyDetails?.namedCurve, named);
      assert.equal(c.subject, 'CN=localhost\nO=HashiCorp');
      assert.ok(c.verify(c.publicKey));
    }
  });

  it('completes a mutual TLS handshake where each side trusts only the other certificate', async () => {
    const server = createSelfSignedCertificate();
    const client = createSelfSignedCertificate({ curve: 'P-521', organization: 'HashiCorp' });
    const tlsServer = createServer({ cert: server.certPem, key: server.keyPem, ca: client.certPem, requestCert: true, rejectUnauthorized: true }, (socket) => {
      socket.end(`peer ${socket.getPeerCertificate().subject.O}`);
    });
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    try {
      const port = (tlsServer.address() as AddressInfo).port;
      const reply = await new Promise<string>((resolve, reject) => {
        const socket: TLSSocket = connect({ port, host: '127.0.0.1', servername: 'localhost', ca: server.certPem, cert: client.certPem, key: client.keyPem }, () => {
          if (!socket.authorized) reject(socket.authorizationError);
        });
        let data = '';
        socket.on('data', (d) => (data += d));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      assert.equal(reply, 'peer HashiCorp');
    } finally {
      tlsServer.close();
    }
  });
});
