/**
 * The gRPC server a provider process runs: tfplugin6.Provider plus go-plugin's controller,
 * stdio and health services, bound to a unix socket in a fresh private directory. Process
 * concerns (env checks, handshake line, signals) live in serve.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { ProviderServer } from './provider-server';
import { loadProtocolServices } from './load-protos';
import { logger as defaultLogger, type Logger } from './logger';
import { createProviderService } from './provider-service';
import type { PreparedSchemaResponse } from './schema-response';

// terraform-plugin-go's limits; grpc-js would otherwise refuse requests over 4 MiB.
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

// How long Shutdown waits for in-flight replies before exiting anyway.
const SHUTDOWN_GRACE_MS = 1000;

/** Options for startPluginServer. */
export interface PluginServerOptions {
  /** mTLS material; plaintext h2c when absent (TF_DISABLE_PLUGIN_TLS, debug mode). */
  tls?: { clientCertPem: string; certPem: string; keyPem: string };
  /** Parent for the socket's private directory; defaults to the OS temp dir. */
  socketParentDir?: string;
  /** Called after the Shutdown reply has been handed to grpc-js. */
  onShutdown: () => void;
  log?: Logger;
  /** The GetProviderSchema answer encoded ahead for the provider's schemas. */
  preparedSchema?: PreparedSchemaResponse;
}

/** A bound plugin server. */
export interface PluginServer {
  grpcServer: grpc.Server;
  socketPath: string;
  /** Stops serving at once and removes the socket directory; safe to call twice. */
  close(): void;
}

/** Builds and binds the server; called once by serveProvider, and by tests directly. */
export async function startPluginServer(provider: ProviderServer, opts: PluginServerOptions): Promise<PluginServer> {
  const log = opts.log ?? defaultLogger;
  const services = loadProtocolServices();
  const grpcServer = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    // Nobody queries channelz in a provider; its per-call bookkeeping is a measurable share of
    // the ~1,200 calls of a 300-resource plan.
    'grpc.enable_channelz': 0,
  });
  grpcServer.addService(services.provider, createProviderService(provider, log, opts.preparedSchema));
  grpcServer.addService(services.controller, {
    Shutdown: (_call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) => {
      log.debug('shutdown requested by the host');
      callback(null, {});
      // Let the reply reach the host before the process goes (go-plugin ignores its result, but
      // an exit mid-write shows up as a reset stream in the host's logs); bounded, in case a
      // client keeps a call open.
      const done = once(opts.onShutdown);
      grpcServer.tryShutdown(done);
      setTimeout(done, SHUTDOWN_GRACE_MS).unref();
    },
  });
  grpcServer.addService(services.stdio, {
    // We never write to stdout/stderr through go-plugin's stdio relay; logs go straight to stderr.
    StreamStdio: (call: grpc.ServerWritableStream<object, object>) => call.end(),
  });
  grpcServer.addService(services.health, {
    Check: (call: grpc.ServerUnaryCall<{ service?: string }, object>, callback: grpc.sendUnaryData<object>) => {
      const service = call.request?.service ?? '';
      if (service === '' || service === 'plugin') callback(null, { status: 'SERVING' });
      else callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${service}` });
    },
  });

  // A directory only we can enter: the socket is the provider's whole attack surface when
  // running plaintext.
  const dir = mkdtempSync(join(opts.socketParentDir || tmpdir(), 'sym-'));
  const socketPath = join(dir, 'plugin.sock');
  const credentials = opts.tls
    ? grpc.ServerCredentials.createSsl(
        Buffer.from(opts.tls.clientCertPem),
        [{ private_key: Buffer.from(opts.tls.keyPem), cert_chain: Buffer.from(opts.tls.certPem) }],
        true, // require and verify the host's client certificate
      )
    : grpc.ServerCredentials.createInsecure();
  try {
    await new Promise<void>((resolve, reject) => grpcServer.bindAsync(`unix:${socketPath}`, credentials, (err) => (err ? reject(err) : resolve())));
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let closed = false;
  return {
    grpcServer,
    socketPath,
    close() {
      if (closed) return;
      closed = true;
      grpcServer.forceShutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function once(fn: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    fn();
  };
}
