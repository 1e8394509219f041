/**
 * A client certificate shaped like the one Terraform/OpenTofu's go-plugin makes on every launch
 * (self-signed ECDSA P-521, CN=localhost, O=HashiCorp, CA, client+server auth), so that the
 * provider takes its mutual-TLS path when benchmarked. Made with the openssl CLI because Node
 * cannot create certificates by itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PEM certificate and its PEM private key. */
export interface ClientCert {
  certPem: string;
  keyPem: string;
}

/** Generates a go-plugin-like client certificate; throws if openssl is unavailable. */
export function makeClientCert(): ClientCert {
  const dir = mkdtempSync(join(tmpdir(), 'opensym-bench-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-521',
        '-sha512',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '10950',
        '-subj',
        '/O=HashiCorp/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,digitalSignature,keyEncipherment,keyAgreement,keyCertSign',
        '-addext',
        'extendedKeyUsage=clientAuth,serverAuth',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
