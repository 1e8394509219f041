import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cookiesOf, createSessionKeys } from './console-session';
import { html, raw } from './html';

describe('console session cookies', () => {
  const key = Buffer.alloc(32, 7);
  it('opens a cookie sealed with the same key (another process with SYM_CONSOLE_KEY), not with another key, not once expired', () => {
    const cookie = createSessionKeys(key, 1000).seal('hash', 5000);
    assert.equal(createSessionKeys(key, 1000).open(cookie, 5999), 'hash');
    assert.equal(createSessionKeys(key, 1000).open(cookie, 6000), null, 'expired');
    assert.equal(createSessionKeys(Buffer.alloc(32, 8), 1000).open(cookie, 5000), null, 'another key');
    const [payload, signature] = cookie.split('.');
    const forged = `${Buffer.from(JSON.stringify({ h: 'hash', e: 9e15 })).toString('base64url')}.${signature}`;
    assert.notEqual(forged.split('.')[0], payload);
    assert.equal(createSessionKeys(key).open(forged, 5000), null, 'a longer expiry breaks the signature');
    assert.throws(() => createSessionKeys(Buffer.alloc(16)), /at least 32 bytes/);
  });

  it('derives CSRF tokens per cookie and purpose', () => {
    const keys = createSessionKeys(key);
    const token = keys.csrf('cookie-a', 'session');
    assert.ok(keys.checkCsrf('cookie-a', 'session', token));
    assert.ok(!keys.checkCsrf('cookie-b', 'session', token));
    assert.ok(!keys.checkCsrf('cookie-a', 'pre', token));
    assert.ok(!keys.checkCsrf(undefined, 'session', token));
    assert.ok(!keys.checkCsrf('cookie-a', 'session', undefined));
  });

  it('parses the Cookie header, keeping the first of a name and skipping broken values', () => {
    assert.deepEqual(cookiesOf('a=1; b=x%20y; a=2; c=%E0%A4%A; =z'), { a: '1', b: 'x y' });
  });
});

describe('console html', () => {
  it('escapes interpolated text but not nested markup', () => {
    const name = `<img src=x onerror="alert('1')">&`;
    assert.equal(
      html`<p title="${name}">${name}${html`<b>${'<i>'}</b>`}${raw('<hr>')}${[1, null, false, undefined, 'x']}</p>`.text,
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;<b>&lt;i&gt;</b><hr>1x</p>',
    );
  });
});
