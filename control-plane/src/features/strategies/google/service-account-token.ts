/**
 * An OAuth access token for a Google service account: the JWT bearer grant (RFC 7523) that
 * Google's token endpoint takes, signed with the key from the service account's JSON key file,
 * with `sub` set for domain-wide delegation. Written here because google-auth-library's JWT
 * client has Google's token endpoint built in, and the endpoint must be the operator's to choose
 * (`SYM_GOOGLE_TOKEN_URL`, e.g. a test double), never the key file's `token_uri`.
 */
import { createSign } from 'node:crypto';
import { StrategyError } from '../access-strategy';
import { vendorError } from '../native-strategy';

/** The fields of a service account JSON key file that the grant uses. */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

/** Parses a JSON key file, or throws a final StrategyError that does not quote it. */
export function parseServiceAccountKey(text: string): ServiceAccountKey {
  let key: unknown;
  try {
    key = JSON.parse(text);
  } catch {
    throw new StrategyError('the Google credentials secret is not JSON: store the service account key file (JSON) in it', false);
  }
  const k = key as Partial<ServiceAccountKey> & { type?: string };
  if (typeof k?.client_email !== 'string' || typeof k.private_key !== 'string') {
    throw new StrategyError('the Google credentials secret must be a service account key file with client_email and private_key', false);
  }
  return { client_email: k.client_email, private_key: k.private_key, ...(typeof k.private_key_id === 'string' && { private_key_id: k.private_key_id }) };
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Exchanges a signed assertion for an access token at `tokenUrl`. */
export async function serviceAccountToken(
  key: ServiceAccountKey,
  options: { tokenUrl: string; scopes: string[]; subject?: string; now?: () => number },
): Promise<{ accessToken: string; expiresAt: number }> {
  const iat = Math.floor((options.now ?? Date.now)() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(key.private_key_id && { kid: key.private_key_id }) };
  const claims = { iss: key.client_email, scope: options.scopes.join(' '), aud: options.tokenUrl, iat, exp: iat + 3600, ...(options.subject && { sub: options.subject }) };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  let signature: string;
  try {
    signature = createSign('RSA-SHA256').update(unsigned).sign(key.private_key, 'base64url');
  } catch {
    throw new StrategyError(`the private_key of service account ${key.client_email} cannot sign (not a PEM RSA key)`, false);
  }
  const what = `getting an access token for service account ${key.client_email}${options.subject ? ` acting as ${options.subject}` : ''}`;
  let response: Response;
  try {
    response = await fetch(options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: `${unsigned}.${signature}` }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw vendorError('Google', { what, status: undefined, detail: error instanceof Error ? error.message : String(error), forbidden: '' });
  }
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
  if (!response.ok || typeof body.access_token !== 'string') {
    const detail = [body.error, body.error_description].filter(Boolean).join(': ');
    // Google answers a missing domain-wide delegation with 401 unauthorized_client.
    if (body.error === 'unauthorized_client') {
      throw new StrategyError(
        `${what}: Google answered HTTP ${response.status} (${detail}); missing permission: in the Admin console (Security > API controls > Domain-wide delegation) authorize the service account's client id for the scope ${options.scopes.join(' ')}, and set the integration's admin_email to an administrator allowed to manage the groups`,
        false,
        { vendor: 'Google', http_status: response.status, reason: 'forbidden' },
      );
    }
    if (body.error === 'invalid_grant') {
      throw new StrategyError(
        `${what}: Google answered HTTP ${response.status} (${detail}); the key was refused (deleted, disabled, or the admin_email is not a user of the domain): replace the credentials secret or fix admin_email`,
        false,
        {
          vendor: 'Google',
          http_status: response.status,
        },
      );
    }
    throw vendorError('Google', { what, status: response.status, detail, forbidden: 'the service account may not get tokens for this scope' });
  }
  return { accessToken: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
}
