import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadProtocolServices } from './load-protos';
import { handshakeLine, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, reattachLine } from './serve';
import { createSelfSignedCertificate } from './tls-certificate';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

describe('handshake line', () => {
  it('is 1|6|unix|<path>|grpc|<cert> with the DER in unpadded standard base64', () => {
    const der = Buffer.from([0xfb, 0xff, 0x01, 0x02]); // base64 "+/8BAg==": needs + and /, and padding
    assert.equal(handshakeLine('/tmp/sym-x/plugin.sock', der), '1|6|unix|/tmp/sym-x/plugin.sock|grpc|+/8BAg\n');
  });

  it('leaves the certificate field empty when serving plaintext', () => {
    assert.equal(handshakeLine('/s.sock'), '1|6|unix|/s.sock|grpc|\n');
  });

  it('carries a real certificate that Go can decode and that is longer than 50 characters', () => {
    const cert = createSelfSignedCertificate();
    const field = handshakeLine('/s', cert.certDer).trimEnd().split('|')[5]!;
    assert.ok(field.length > 50, 'go-plugin ignores shorter fields');
    assert.doesNotMatch(field, /=/);
    assert.equal(new X509Certificate(Buffer.from(field, 'base64')).fingerprint256, new X509Certificate(cert.certDer).fingerprint256);
  });

  it('formats TF_REATTACH_PROVIDERS for debug mode', () => {
    const line = reattachLine('opensym.dev/opensym/sym', '/tmp/p.sock', 42);
    const json = JSON.parse(line.match(/^export TF_REATTACH_PROVIDERS='(.*)'\n$/)![1]!);
    assert.deepEqual(json, { 'opensym.dev/opensym/sym': { Protocol: 'grpc', ProtocolVersion: 6, Pid: 42, Test: true, Addr: { Network: 'unix', String: '/tmp/p.sock' } } });
  });
});

/** The provider entry point run as a host would run it, with its stdout and stderr collected. */
interface Launched {
  child: ChildProcessWithoutNullStreams;
  firstLine: Promise<string>;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function launch(env: NodeJS.ProcessEnv): Launched {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, TF_LOG: '', TF_LOG_PROVIDER: '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
    });
    child.once('close', () => reject(new Error(`exited before a line; stderr: ${stderr}`)));
  });
  firstLine.catch(() => undefined);
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return { child, firstLine, exit };
}

describe('provider process (src/main.ts as a host launches it)', () => {
  const launched: Launched[] = [];
  after(() => launched.forEach((l) => l.child.kill('SIGKILL')));

  it('refuses to run without the magic cookie, saying so on stderr and nothing on stdout', async () => {
    const l = launch({ [MAGIC_COOKIE_KEY]: '' });
    launched.push(l);
    const { code, stdout, stderr } = await l.exit;
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /not meant to be run directly/);
  });

  it('refuses a host that offers only other protocol versions', async () => {
    const l = launch({ [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '4,5' });
    launched.push(l);
    const { code, stderr } = await l.exit;
    assert.equal(code, 1);
    assert.match(stderr, /protocol 6, but the host offered only 4, 5/);
  });

  it('serves tfplugin6 over mutual TLS with the certificate from its handshake line, and exits on Shutdown', async () => {
    const host = createSelfSignedCertificate({ curve: 'P-521', organization: 'HashiCorp' });
    const l = launch({ [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: host.certPem });
    launched.push(l);
    const line = await l.firstLine;
    const [core, proto, network, address, kind, cert] = line.split('|');
    assert.deepEqual([core, proto, network, kind], ['1', '6', 'unix', 'grpc']);
    assert.ok(existsSync(address!), 'socket exists');
    const serverCertPem = new X509Certificate(Buffer.from(cert!, 'base64')).toString();

    const services = loadProtocolServices();
    const credentials = grpc.credentials.createSsl(Buffer.from(serverCertPem), Buffer.from(host.keyPem), Buffer.from(host.certPem));
    const options = { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' };
    const Provider = grpc.makeGenericClientConstructor(services.provider, 'Provider');
    const Health = grpc.makeGenericClientConstructor(services.health, 'Health');
    const Controller = grpc.makeGenericClientConstructor(services.controller, 'Controller');
    const provider = new Provider(`unix:${address}`, credentials, options);
    const health = new Health(`unix:${address}`, credentials, options);
    const controller = new Controller(`unix:${address}`, credentials, options);
    const call = <T>(client: grpc.Client, method: string, request: object): Promise<T> =>
      new Promise((resolve, reject) => (client as any)[method](request, { deadline: Date.now() + 30_000 }, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));

    try {
      assert.deepEqual(await call(health, 'Check', { service: 'plugin' }), { status: 'SERVING' });
      const metadata = await call<{ resources: { type_name: string }[]; server_capabilities: Record<string, boolean> }>(provider, 'GetMetadata', {});
      assert.ok(metadata.resources.some((r) => r.type_name === 'sym_target'));
      assert.equal(metadata.server_capabilities.get_provider_schema_optional, true);
      await call(controller, 'Shutdown', {});
    } finally {
      provider.close();
      health.close();
      controller.close();
    }
    const { code } = await l.exit;
    assert.equal(code, 0);
    assert.ok(!existsSync(address!), 'socket removed on exit');
  });

  it('logs hclog JSON on stderr at the TF_LOG_PROVIDER threshold (over TF_LOG); stdout carries only the handshake line', async () => {
    const run = async (env: NodeJS.ProcessEnv) => {
      const l = launch({ [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, ...env });
      launched.push(l);
      const address = (await l.firstLine).split('|')[3]!;
      const Controller = grpc.makeGenericClientConstructor(loadProtocolServices().controller, 'Controller');
      const controller = new Controller(`unix:${address}`, grpc.credentials.createInsecure());
      try {
        await new Promise((resolve, reject) => (controller as any).Shutdown({}, { deadline: Date.now() + 30_000 }, (e: Error | null) => (e ? reject(e) : resolve(null))));
      } finally {
        controller.close();
      }
      return l.exit;
    };
    const debug = await run({ TF_LOG_PROVIDER: 'DEBUG', TF_LOG: 'ERROR' });
    assert.equal(debug.code, 0);
    assert.match(debug.stdout, /^1\|6\|unix\|[^\n]+\|grpc\|\n$/, 'the handshake line and nothing else');
    const lines = debug.stderr
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    assert.ok(
      lines.every((l) => l['@module'] === 'sym' && ['debug', 'info', 'warn', 'error'].includes(l['@level']!)),
      debug.stderr,
    );
    assert.ok(lines.some((l) => l['@level'] === 'info' && l['@message'] === 'provider serving'));
    assert.ok(lines.some((l) => l['@level'] === 'debug' && l['@message'] === 'provider exiting'));

    const quiet = await run({ TF_LOG_PROVIDER: 'ERROR', TF_LOG: 'TRACE' });
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stderr, '', 'nothing below error');
  });

  it('rejects a client that presents a certificate other than the one the host announced', async () => {
    const host = createSelfSignedCertificate({ curve: 'P-521', organization: 'HashiCorp' });
    const intruder = createSelfSignedCertificate({ curve: 'P-521', organization: 'HashiCorp' });
    const l = launch({ [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_CLIENT_CERT: host.certPem });
    launched.push(l);
    const [, , , address, , cert] = (await l.firstLine).split('|');
    const serverCertPem = new X509Certificate(Buffer.from(cert!, 'base64')).toString();
    const Health = grpc.makeGenericClientConstructor(loadProtocolServices().health, 'Health');
    const health = new Health(`unix:${address}`, grpc.credentials.createSsl(Buffer.from(serverCertPem), Buffer.from(intruder.keyPem), Buffer.from(intruder.certPem)), {
      'grpc.ssl_target_name_override': 'localhost',
      'grpc.default_authority': 'localhost',
    });
    try {
      const err = await new Promise<grpc.ServiceError | null>((resolve) => (health as any).Check({}, { deadline: Date.now() + 30_000 }, (e: grpc.ServiceError | null) => resolve(e)));
      assert.equal(err?.code, grpc.status.UNAVAILABLE);
    } finally {
      health.close();
      l.child.kill('SIGKILL');
    }
  });
});
