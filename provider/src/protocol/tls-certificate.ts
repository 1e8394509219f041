/**
 * Makes the throwaway self-signed certificate for go-plugin AutoMTLS. Imported lazily by
 * serveProvider (only when the host sends PLUGIN_CLIENT_CERT), because loading @peculiar/x509
 * costs ~130 ms and Terraform starts several provider processes per command.
 */
import 'reflect-metadata'; // tsyringe inside @peculiar/x509 throws at import without it.
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** A certificate and its key, ready for grpc-js credentials and the handshake line. */
export interface SelfSignedCertificate {
  certPem: string;
  keyPem: string;
  /** The leaf as DER, for handshake field 6. */
  certDer: Buffer;
}

/** Options for createSelfSignedCertificate; the defaults are what a provider serves with. */
export interface CertificateOptions {
  /** P-256 for our server; tests pass P-521 to mimic the host's client certificate. */
  curve?: 'P-256' | 'P-384' | 'P-521';
  organization?: string;
}

const HASH_FOR_CURVE = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' } as const;

/**
 * Generates a fresh ECDSA certificate shaped like go-plugin's: CN=localhost, SAN DNS:localhost
 * (Go ignores the CN), CA with certSign, serverAuth + clientAuth, NotBefore backdated 30 s so a
 * host clock slightly behind ours still accepts it. Called once per provider process start.
 */
export async function createSelfSignedCertificate(opts: CertificateOptions = {}): Promise<SelfSignedCertificate> {
  const curve = opts.curve ?? 'P-256';
  const crypto = webcrypto;
  x509.cryptoProvider.set(crypto as never);
  const alg = { name: 'ECDSA', namedCurve: curve, hash: HASH_FOR_CURVE[curve] };
  const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const serial = Buffer.from(crypto.getRandomValues(new Uint8Array(16)));
  serial[0]! &= 0x7f; // a positive INTEGER
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: `CN=localhost, O=${opts.organization ?? 'OpenSym'}`,
    notBefore: new Date(now - 30_000),
    notAfter: new Date(now + 30 * 24 * 3600_000),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyAgreement | x509.KeyUsageFlags.keyCertSign,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }]),
    ],
  });
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
  return { certPem: cert.toString('pem') + '\n', keyPem, certDer: Buffer.from(cert.rawData) };
}
