// `POST /api/v1/implementation-checks`: the provider's plan-time check. The control plane's own
// engines answer (CPython's parser for Python), so a syntax error comes back with its line
// before anything is applied; answers are validated against the OpenAPI document.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';

let t: TestControlPlane;
const check = (body: object, token = t.admin) => t.request.post('/api/v1/implementation-checks').set('Authorization', `Bearer ${token}`).send(body);

before(async () => {
  t = await startTestControlPlane();
});
after(async () => {
  await t?.close();
});

describe('POST /api/v1/implementation-checks', () => {
  it('reports a Python syntax error with its line, and stores nothing', async () => {
    const source = 'from sym.sdk.annotations import hook\n\n@hook\ndef on_request(event)\n    return None\n';
    const res = await check({ source, kind: 'flow', filename: 'impl.py' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.language, 'python');
    assert.equal(res.body.problems.length, 1);
    assert.equal(res.body.problems[0].line, 4);
    assert.match(res.body.problems[0].message, /^SyntaxError: expected ':'/);
    const flows = await t.request.get('/api/v1/entities/flows').set('Authorization', `Bearer ${t.admin}`);
    assert.deepEqual(flows.body.data, []);
  });

  it('never runs the module: a top-level call that would loop forever is only parsed', async () => {
    const res = await check({ source: 'import json\n\nwhile True:\n    pass\n', kind: 'flow' }, t.member);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { language: 'python', problems: [] });
  });

  it('answers the problems storing would refuse, for JavaScript too', async () => {
    const res = await check({ source: 'export function on_nothing() {}', kind: 'flow', filename: 'impl.js' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.language, 'javascript');
    assert.match(res.body.problems[0].message, /on_nothing/);
  });

  it('refuses a body without source or with an unknown kind (422)', async () => {
    const res = await check({ kind: 'hooks' });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'validation_failed');
  });
});
