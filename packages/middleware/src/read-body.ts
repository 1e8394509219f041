/** Form bodies the approval page posts are tiny; anything larger is refused rather than buffered. */
export const MAX_FORM_BYTES = 64 * 1024;

/** Reads an `application/x-www-form-urlencoded` body from a Node stream (at most {@link MAX_FORM_BYTES}). */
export async function readFormStream(stream: AsyncIterable<Buffer | string>): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > MAX_FORM_BYTES) throw new Error('the approval form is too large');
    chunks.push(buf);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** A body an app's own parser already read (`express.urlencoded()`), as form parameters. */
export function formFromParsed(body: unknown): URLSearchParams | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) {
    for (const item of Array.isArray(v) ? v : [v]) if (typeof item === 'string') out.append(k, item);
  }
  return out;
}
