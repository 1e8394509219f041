/**
 * The provider process's main loop as go-plugin expects it: verify we were launched by a
 * Terraform/OpenTofu host, serve gRPC (mTLS when the host sent a certificate), print the
 * handshake line, then live until Shutdown or until the host dies.
 */
import { rmSync } from 'node:fs';
import type { ProviderServer } from './provider-server';
import { logger as defaultLogger, type Logger } from './logger';
import { startPluginServer, type PluginServer } from './plugin-server';
import type { PreparedSchemaResponse } from './schema-response';
import { createSelfSignedCertificate } from './tls-certificate';

/** go-plugin's handshake cookie for Terraform and OpenTofu providers. */
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
/** The only plugin protocol we speak. */
export const PROTOCOL_VERSION = 6;
/** The provider source address printed for TF_REATTACH_PROVIDERS in debug mode. */
export const DEFAULT_PROVIDER_ADDRESS = 'opensym.dev/opensym/sym';

/** Options for serveProvider; all default to the real process. */
export interface ServeOptions {
  /** Command-line arguments; `--debug` selects reattach mode. Default: process.argv.slice(2). */
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Reattach (debug) mode without reading argv. */
  debug?: boolean;
  providerAddress?: string;
  log?: Logger;
  /** The GetProviderSchema answer the build encoded for `server.schemas()` (the entry point passes it). */
  preparedSchema?: PreparedSchemaResponse;
}

/**
 * Formats go-plugin's handshake line `1|6|unix|ADDR|grpc|CERT`; called once after binding.
 * CERT is the DER leaf in standard base64 without `=` padding (Go decodes it with
 * RawStdEncoding), or empty when serving plaintext.
 */
export function handshakeLine(socketPath: string, certDer?: Uint8Array): string {
  const cert = certDer ? Buffer.from(certDer).toString('base64').replace(/=+$/, '') : '';
  return `1|${PROTOCOL_VERSION}|unix|${socketPath}|grpc|${cert}\n`;
}

/** Formats the `export TF_REATTACH_PROVIDERS=…` line printed in debug mode. */
export function reattachLine(providerAddress: string, socketPath: string, pid = process.pid): string {
  const config = { [providerAddress]: { Protocol: 'grpc', ProtocolVersion: PROTOCOL_VERSION, Pid: pid, Test: true, Addr: { Network: 'unix', String: socketPath } } };
  return `export TF_REATTACH_PROVIDERS='${JSON.stringify(config)}'\n`;
}

/**
 * Runs the provider process; called once by the entry point. Exits the process itself on a
 * wrong launch (code 1), on Shutdown (0) and when the host process dies. Resolves once serving.
 */
export async function serveProvider(server: ProviderServer, opts: ServeOptions = {}): Promise<PluginServer> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? defaultLogger;
  const debug = opts.debug ?? (opts.argv ?? process.argv.slice(2)).includes('--debug');

  if (!debug && env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    fail(
      'This program is a Terraform/OpenTofu provider plugin and is not meant to be run directly.\n' +
        'Terraform or OpenTofu starts it when a configuration uses the provider.\n' +
        'To debug it, run it with --debug and export the TF_REATTACH_PROVIDERS line it prints.\n',
    );
  }
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (!debug && offered.length > 0 && !offered.includes(String(PROTOCOL_VERSION))) {
    fail(`This provider speaks plugin protocol ${PROTOCOL_VERSION}, but the host offered only ${offered.join(', ')}.\n` + 'Use Terraform 1.0 or later, or OpenTofu.\n');
  }

  const clientCertPem = debug ? undefined : env.PLUGIN_CLIENT_CERT?.trim() || undefined;
  const cert = clientCertPem ? createSelfSignedCertificate() : undefined;

  let plugin: PluginServer | undefined;
  const exit = (code: number, why: string): void => {
    log.debug('provider exiting', { reason: why });
    plugin?.close();
    process.exit(code);
  };
  plugin = await startPluginServer(server, {
    tls: cert && clientCertPem ? { clientCertPem, certPem: cert.certPem, keyPem: cert.keyPem } : undefined,
    socketParentDir: env.PLUGIN_UNIX_SOCKET_DIR,
    onShutdown: () => exit(0, 'shutdown'),
    log,
    preparedSchema: opts.preparedSchema,
  });
  const socketPath = plugin.socketPath;
  process.on('exit', () => rmSync(socketPath.replace(/\/[^/]*$/, ''), { recursive: true, force: true }));

  // A crash would lose a resource mid-apply; log the bug and keep serving.
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection', { error: reason instanceof Error ? reason.stack : String(reason) }));
  process.on('uncaughtException', (err) => log.error('uncaught exception', { error: err.stack ?? String(err) }));

  if (debug) {
    process.stderr.write(`Provider ${opts.providerAddress ?? DEFAULT_PROVIDER_ADDRESS} serving in debug mode (pid ${process.pid}). In the shell that runs terraform or tofu:\n\n`);
    process.stdout.write(reattachLine(opts.providerAddress ?? DEFAULT_PROVIDER_ADDRESS, socketPath));
  } else {
    // Ctrl-C reaches the whole process group; the host answers it with StopProvider and then
    // Shutdown, so dying here would cut off calls in progress.
    process.on('SIGINT', () => log.debug('ignoring SIGINT; the host will send StopProvider'));
    process.stdout.write(handshakeLine(socketPath, cert?.certDer));
  }

  // If the host is killed we are reparented; nobody will ever call Shutdown.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) exit(0, 'host process exited');
  }, 1000).unref();

  log.info('provider serving', { socket: socketPath, tls: Boolean(cert), debug });
  return plugin;
}

function fail(message: string): never {
  process.stderr.write(message);
  process.exit(1);
}
