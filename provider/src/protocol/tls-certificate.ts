/**
 * Makes the throwaway self-signed certificate for go-plugin AutoMTLS with node:crypto: the key
 * pair and the signature come from OpenSSL inside Node, and der.ts writes the fixed certificate
 * shape around them. Called once per provider start, so it must stay cheap (about a millisecond).
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { bitString, boolean, explicit, directoryString, octetString, oid, sequence, set, tlv, time, unsignedInteger } from './der';

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
  /** The clock to date the certificate from; tests pin it. */
  now?: Date;
}

// go-plugin signs with the hash matching the curve size; so do we.
const SIGNATURE = {
  'P-256': { hash: 'sha256', oid: '1.2.840.10045.4.3.2' },
  'P-384': { hash: 'sha384', oid: '1.2.840.10045.4.3.3' },
  'P-521': { hash: 'sha512', oid: '1.2.840.10045.4.3.4' },
} as const;

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** Backdating, so a host clock slightly behind ours still accepts the certificate. */
export const NOT_BEFORE_SKEW_MS = 30_000;
/** Lifetime; a provider process lives minutes, but a long apply must not outlive its cert. */
export const VALIDITY_MS = 30 * 24 * 3600_000;

/**
 * Generates a fresh ECDSA certificate shaped like go-plugin's: CN=localhost, SAN DNS:localhost
 * (Go ignores the CN), CA with certSign, digitalSignature + keyEncipherment + keyAgreement,
 * serverAuth + clientAuth. Called once per provider process start.
 */
export function createSelfSignedCertificate(opts: CertificateOptions = {}): SelfSignedCertificate {
  const curve = opts.curve ?? 'P-256';
  const signature = SIGNATURE[curve];
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
  const now = (opts.now ?? new Date()).getTime();

  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40; // positive, and 16 bytes long whatever the draw
  const name = sequence(set(sequence(oid(OID.commonName), directoryString('localhost'))), set(sequence(oid(OID.organization), directoryString(opts.organization ?? 'OpenSym'))));
  const extension = (id: string, critical: boolean, value: Buffer): Buffer => sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
  const algorithm = sequence(oid(signature.oid));

  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.of(2))), // v3
    unsignedInteger(serial),
    algorithm,
    name, // issuer: self-signed
    sequence(time(new Date(now - NOT_BEFORE_SKEW_MS)), time(new Date(now + VALIDITY_MS))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      sequence(
        extension(OID.basicConstraints, true, sequence(boolean(true))),
        // Named bits 0 (digitalSignature), 2 (keyEncipherment), 4 (keyAgreement), 5 (keyCertSign):
        // 1010 1100, the two low bits unused.
        extension(OID.keyUsage, true, bitString(Buffer.of(0xac), 2)),
        extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth), oid(OID.clientAuth))),
        extension(OID.subjectAltName, false, sequence(tlv(0x82, Buffer.from('localhost', 'ascii')))), // dNSName
      ),
    ),
  );
  const certDer = sequence(tbs, algorithm, bitString(sign(signature.hash, tbs, { key: privateKey, dsaEncoding: 'der' })));
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return { certPem: toPem('CERTIFICATE', certDer), keyPem, certDer };
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
