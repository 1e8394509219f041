import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeUrl, postJson } from './http-post';

const answering = (status: number, text: string) => (async () => new Response(text, { status })) as typeof fetch;

describe('postJson', () => {
  it('a refusal names the status and the start of the body, with the sent secrets cut out', async () => {
    const echo = answering(401, 'bad key "Bearer s3cret-token" (write key wk-123)');
    await assert.rejects(postJson(echo, 'https://user:pw@logs.example.com/in?token=q', '{}', { authorization: 'Bearer s3cret-token' }, ['wk-123']), (err: Error) => {
      assert.equal(err.message, 'POST https://logs.example.com/in answered 401: bad key "[redacted]" (write key [redacted])');
      return true;
    });
  });

  it('a network failure names its code', async () => {
    const refused = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    await assert.rejects(postJson(refused, 'http://127.0.0.1:1/x', '{}', {}), /POST http:\/\/127\.0\.0\.1:1\/x failed: ECONNREFUSED/);
  });

  it('2xx is success', async () => {
    await postJson(answering(202, '{}'), 'http://x/', '{}', {});
  });

  it('describeUrl keeps origin and path only', () => {
    assert.equal(describeUrl('https://u:p@h.example:8443/a/b?k=v#f'), 'https://h.example:8443/a/b');
  });
});
