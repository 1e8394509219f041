// Egress from hooks and strategies: non-public addresses are refused unless the operator allows
// them, on the address each connection actually uses (names resolved at connect time).
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSandbox } from './create-sandbox';
import { EgressDeniedError, EgressPolicy, parseCidrs } from './egress-policy';
import { type HttpDouble, startHttpDouble } from './http-double';
import { SandboxError } from './sandbox-error';

const event = { user: { id: 'u1', email: 'a@example.com' }, payload: { fields: {} } };

const lookupOnce = (policy: EgressPolicy, hostname: string) =>
  new Promise<LookupAddress[]>((resolve, reject) => policy.lookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses as unknown as LookupAddress[]))));

describe('EgressPolicy', () => {
  it('refuses loopback, link-local (cloud metadata), private, CGNAT, unique-local, unspecified and their IPv4-mapped forms', () => {
    const policy = new EgressPolicy();
    const refused: Array<[string, RegExp]> = [
      ['127.0.0.1', /loopback/],
      ['127.8.9.10', /loopback/],
      ['::1', /loopback/],
      ['169.254.169.254', /link-local.*cloud metadata/],
      ['fe80::1', /link-local/],
      ['10.0.0.5', /private range/],
      ['172.16.0.1', /private range/],
      ['172.31.255.254', /private range/],
      ['192.168.1.1', /private range/],
      ['100.64.0.1', /carrier-grade NAT/],
      ['fc00::1', /unique-local/],
      ['fd00:ec2::254', /unique-local/],
      ['0.0.0.0', /unspecified/],
      ['::', /unspecified/],
      ['::ffff:127.0.0.1', /127\.0\.0\.1 \(loopback\)/],
      ['::ffff:169.254.169.254', /link-local/],
      ['::ffff:10.0.0.5', /10\.0\.0\.5 \(private range\)/],
    ];
    for (const [address, why] of refused) {
      const refusal = policy.refusal(address);
      assert.ok(refusal, `${address} must be refused`);
      assert.match(refusal, why);
      assert.match(refusal, /is not allowed; the operator can allow it with SYM_EGRESS_ALLOW_CIDRS/);
    }
    assert.equal(policy.refusal('10.0.0.5'), 'egress to 10.0.0.5 (private range) is not allowed; the operator can allow it with SYM_EGRESS_ALLOW_CIDRS');
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8', '172.32.0.1']) {
      assert.equal(policy.refusal(address), undefined, `${address} is public`);
    }
  });

  it('allows exactly the CIDRs the operator lists (IPv4-mapped forms included)', () => {
    const policy = new EgressPolicy({ allowCidrs: ['127.0.0.0/8', '10.1.0.0/16', '::1'] });
    for (const address of ['127.0.0.1', '::ffff:127.0.0.1', '10.1.2.3', '::1']) assert.equal(policy.refusal(address), undefined, address);
    for (const address of ['10.2.0.1', '169.254.169.254', 'fe80::1']) assert.ok(policy.refusal(address), address);
    assert.throws(() => parseCidrs(['10.0.0.0/33']), /"10\.0\.0\.0\/33" is not an IP address or CIDR range/);
    assert.throws(() => new EgressPolicy({ allowCidrs: ['localhost'] }), /not an IP address/);
  });

  it('checks every resolution: a name that answers a public address and then loopback (DNS rebinding) is refused the second time', async () => {
    const answers: LookupAddress[][] = [[{ address: '93.184.216.34', family: 4 }], [{ address: '127.0.0.1', family: 4 }]];
    const policy = new EgressPolicy({ resolve: async () => answers.shift()! });
    assert.deepEqual(await lookupOnce(policy, 'rebind.example'), [{ address: '93.184.216.34', family: 4 }]);
    await assert.rejects(lookupOnce(policy, 'rebind.example'), (error: Error) => {
      assert.ok(error instanceof EgressDeniedError);
      assert.equal(error.message, 'rebind.example: egress to 127.0.0.1 (loopback) is not allowed; the operator can allow it with SYM_EGRESS_ALLOW_CIDRS');
      return true;
    });
  });

  it('drops refused addresses from a mixed answer and connects only to the allowed ones', async () => {
    const policy = new EgressPolicy({
      resolve: async () => [
        { address: '10.0.0.5', family: 4 },
        { address: '93.184.216.34', family: 4 },
      ],
    });
    assert.deepEqual(await lookupOnce(policy, 'mixed.example'), [{ address: '93.184.216.34', family: 4 }]);
  });
});

describe('sym/http under the egress policy', () => {
  let loopback: HttpDouble;
  let other: Server;
  let otherPort: number;
  // Resolutions the rebinding test hands out, one per connection.
  const rebinding: string[] = [];
  // 127.0.0.2 stands for a public address: the operator allows it, and nothing else on loopback.
  const sandbox = createSandbox({
    maxWorkers: 1,
    egress: {
      allowCidrs: ['127.0.0.2/32'],
      resolve: async (hostname) => {
        if (hostname === 'rebind.test') return [{ address: rebinding.shift() ?? '127.0.0.1', family: 4 }];
        const { lookup } = await import('node:dns/promises');
        return lookup(hostname, { all: true });
      },
    },
  });
  const otherHits: string[] = [];

  before(async () => {
    loopback = await startHttpDouble();
    other = createServer((req, res) => {
      otherHits.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.2', resolve));
    otherPort = (other.address() as AddressInfo).port;
  });
  after(async () => {
    await sandbox.close();
    await loopback.close();
    await new Promise((resolve) => other.close(resolve));
  });

  const call = async (url: string, allowedHosts: string[]) => {
    const source = `import { get } from 'sym/http';
export function on_request() { return get(${JSON.stringify(url)}).json(); }
`;
    return sandbox.run({ source, call: { kind: 'hook', name: 'on_request', event }, host: { allowedHosts } });
  };
  const refusal = async (url: string, allowedHosts: string[]) => {
    const error = await call(url, allowedHosts).then(
      () => assert.fail(`expected ${url} to be refused`),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SandboxError, String(error));
    assert.equal(error.code, 'host_denied');
    return error.message;
  };

  it('refuses a host name that resolves to loopback (localhost), even when the integration allows the host', async () => {
    const port = new URL(loopback.url).port;
    const message = await refusal(`http://localhost:${port}/x`, [`localhost:${port}`]);
    assert.match(message, /localhost: egress to (127\.0\.0\.1|::1) \(loopback\) is not allowed; the operator can allow it with SYM_EGRESS_ALLOW_CIDRS/);
    assert.equal(loopback.requests.length, 0, 'nothing reached the loopback server');
  });

  it('refuses IP literals: loopback, IPv4-mapped loopback, cloud metadata and private addresses', async () => {
    const port = new URL(loopback.url).port;
    assert.match(await refusal(`http://127.0.0.1:${port}/`, [`127.0.0.1:${port}`]), /egress to 127\.0\.0\.1 \(loopback\) is not allowed/);
    assert.match(await refusal(`http://[::ffff:127.0.0.1]:${port}/`, [`[::ffff:7f00:1]:${port}`]), /egress to 127\.0\.0\.1 \(loopback\) is not allowed/);
    assert.match(await refusal('http://169.254.169.254/latest/meta-data/', ['169.254.169.254']), /169\.254\.169\.254 \(link-local range, which includes cloud metadata\)/);
    assert.match(await refusal('http://10.0.0.5/', ['10.0.0.5']), /^HostDeniedError: egress to 10\.0\.0\.5 \(private range\) is not allowed; the operator can allow it with SYM_EGRESS_ALLOW_CIDRS$/);
    assert.equal(loopback.requests.length, 0);
  });

  it('reaches what the operator allowed, and re-checks each connection: a rebinding name is refused once it points at loopback', async () => {
    assert.deepEqual((await call(`http://127.0.0.2:${otherPort}/literal`, [`127.0.0.2:${otherPort}`])).value, { ok: true });
    rebinding.push('127.0.0.2', '127.0.0.1');
    const source = `import { get } from 'sym/http';
export function on_request() {
  const first = get('http://rebind.test:${otherPort}/first').json();
  let second;
  try { second = get('http://rebind.test:${otherPort}/second').json(); } catch (error) { second = error.name + ': ' + error.message; }
  return { first, second };
}
`;
    const result = await sandbox.run({ source, call: { kind: 'hook', name: 'on_request', event }, host: { allowedHosts: [`rebind.test:${otherPort}`] } });
    assert.deepEqual(result.value, {
      first: { ok: true },
      second: 'HostDeniedError: rebind.test: egress to 127.0.0.1 (loopback) is not allowed; the operator can allow it with SYM_EGRESS_ALLOW_CIDRS',
    });
    assert.deepEqual(otherHits, ['/literal', '/first']);
    assert.equal(loopback.requests.length, 0);
  });
});
