import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHostAllowed } from './host-allowlist';
import { SecretRedactor } from './secret-redactor';

describe('isHostAllowed', () => {
  const cases: Array<[string, string[], boolean]> = [
    ['https://api.example.com/x', ['api.example.com'], true],
    ['https://API.example.com:8443/x', ['api.example.com'], true],
    ['https://evil.com/x', ['api.example.com'], false],
    ['https://api.example.com.evil.com/', ['api.example.com'], false],
    ['https://a.example.com/', ['*.example.com'], true],
    ['https://example.com/', ['*.example.com'], false],
    ['https://badexample.com/', ['*.example.com'], false],
    ['http://127.0.0.1:8080/', ['127.0.0.1:8080'], true],
    ['http://127.0.0.1:8081/', ['127.0.0.1:8080'], false],
    ['https://api.example.com/', ['api.example.com:443'], true],
    ['http://api.example.com/', ['api.example.com:443'], false],
    ['http://[::1]:9000/', ['[::1]:9000'], true],
    ['file:///etc/passwd', ['*.example.com', ''], false],
    ['ftp://api.example.com/', ['api.example.com'], false],
    ['https://user:pass@api.example.com/', ['api.example.com'], false],
    ['https://api.example.com/', [], false],
  ];
  for (const [url, allowed, expected] of cases) {
    it(`${url} with [${allowed.join(', ')}] → ${expected}`, () => {
      assert.equal(isHostAllowed(new URL(url), allowed), expected);
    });
  }
});

describe('SecretRedactor', () => {
  it('redacts raw, JSON-escaped and URL-encoded forms, longest first', () => {
    const redactor = new SecretRedactor();
    redactor.add('p@ss "word"/1');
    redactor.add('abc');
    const text = `raw p@ss "word"/1, json ${JSON.stringify('p@ss "word"/1')}, url ${encodeURIComponent('p@ss "word"/1')}, short abc`;
    const out = redactor.redact(text);
    assert.ok(!out.includes('p@ss'), out);
    assert.ok(out.includes('short abc'), 'values shorter than 4 characters are not redacted');
  });
});
