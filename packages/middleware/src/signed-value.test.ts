import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSecret, sign, verify } from './signed-value';

const SECRET = 'a-secret-of-at-least-thirty-two-chars!';

describe('signed values', () => {
  it('round-trips and refuses a changed payload, another secret or another purpose', () => {
    const text = sign(SECRET, 'grant', { r: 'id', e: 1 });
    assert.deepEqual(verify(SECRET, 'grant', text), { r: 'id', e: 1 });
    const [payload, sig] = text.split('.');
    const changed = `${Buffer.from(JSON.stringify({ r: 'id', e: 2 })).toString('base64url')}.${sig}`;
    assert.equal(verify(SECRET, 'grant', changed), undefined);
    assert.equal(verify(`${SECRET}x`, 'grant', text), undefined);
    assert.equal(verify(SECRET, 'csrf', text), undefined, 'a CSRF token never passes as a grant, nor the reverse');
    for (const bad of ['', '.', `${payload}.`, `${payload}.${sig}.x`, `${payload}`, 'x.y']) assert.equal(verify(SECRET, 'grant', bad), undefined, bad);
  });
  it('refuses secrets shorter than 32 characters', () => {
    assert.throws(() => assertSecret('short'), /at least 32/);
    assert.throws(() => assertSecret(undefined), /SYM_MIDDLEWARE_SECRET/);
    assertSecret(SECRET);
  });
});
