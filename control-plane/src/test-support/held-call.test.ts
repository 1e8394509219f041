// The doubles' held calls (vendor doubles and the AWS fault proxy): a held call gets no answer
// until the test releases it, the calls it lets pass first are answered at once, and the proxy
// records the status each call was answered with.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { startAwsFaultProxy } from './aws-fault-proxy';
import { startVendorServer } from './vendor-double';

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

test('a vendor double holds the matching call after the skipped ones until released', async () => {
  const server = await startVendorServer({
    routes: [{ method: 'DELETE', pattern: '/groups/:id/users/:user', handle: () => ({ status: 204 }) }],
    authenticate: () => undefined,
    notFound: () => ({ status: 404, body: { message: 'Not Found' } }),
  });
  closers.push(() => server.close());
  const held = server.hold('DELETE', /^\/groups\/g1\//, 1);
  const first = await fetch(`${server.url}/groups/g1/users/u1`, { method: 'DELETE' });
  assert.equal(first.status, 204, 'the skipped call is answered at once');
  let answered = false;
  const second = fetch(`${server.url}/groups/g1/users/u1`, { method: 'DELETE' }).then((r) => ((answered = true), r));
  await held.arrived;
  const other = await fetch(`${server.url}/groups/g2/users/u1`, { method: 'DELETE' });
  assert.equal(other.status, 204, 'calls the hold does not match pass');
  assert.equal(answered, false, 'the held call has no answer before release');
  assert.deepEqual(
    server.requests.map((r) => r.path),
    ['/groups/g1/users/u1', '/groups/g2/users/u1'],
  );
  held.release();
  assert.equal((await second).status, 204);
  assert.equal(server.requests.length, 3);
});

test('the AWS fault proxy holds the next matching call and records each answer status', async () => {
  const upstream = createServer((req, res) => req.resume().on('end', () => res.writeHead(200, { 'content-type': 'text/xml' }).end('<ok/>')));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => upstream.close(() => resolve())));
  const proxy = await startAwsFaultProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
  closers.push(() => proxy.close());
  const send = (action: string) =>
    fetch(proxy.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: `Action=${action}&Version=2010-05-08`,
    });
  proxy.failNext({ service: 'iam', operation: 'RemoveUserFromGroup' }, { status: 400, code: 'Throttling' });
  const held = proxy.holdNext({ service: 'iam', operation: 'RemoveUserFromGroup' });
  let answered = false;
  const throttled = send('RemoveUserFromGroup').then((r) => ((answered = true), r));
  await held.arrived;
  assert.equal((await send('AddUserToGroup')).status, 200, 'other operations pass');
  assert.equal(answered, false, 'the held call has no answer before release');
  held.release();
  assert.equal((await throttled).status, 400, 'the fault comes after the hold');
  assert.equal((await send('RemoveUserFromGroup')).status, 200, 'the hold applies once');
  assert.deepEqual(
    proxy.calls.map((c) => [c.operation, c.faulted, c.status]),
    [
      ['AddUserToGroup', false, 200],
      ['RemoveUserFromGroup', true, 400],
      ['RemoveUserFromGroup', false, 200],
    ],
  );
});
