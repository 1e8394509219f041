/** hclog-style JSON lines on stderr: stdout belongs to the handshake (protocol §1.6). */

/** Writes one log line; the host shows it with TF_LOG / TF_LOG_PROVIDER. Never pass secrets. */
export function log(level: 'trace' | 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  const iso = new Date().toISOString();
  // hclog wants exactly six fractional digits.
  const timestamp = iso.replace(/\.(\d{3})Z$/, '.$1000Z');
  process.stderr.write(JSON.stringify({ '@level': level, '@message': message, '@timestamp': timestamp, '@module': 'sym', ...fields }) + '\n');
}
