/**
 * Turns the embedded proto texts into grpc-js service definitions. Parsing strings (instead of
 * proto-loader's file loading) keeps the provider a single bundled JS file with no .proto files
 * beside it.
 */
import * as protoLoader from '@grpc/proto-loader';
import type { ServiceDefinition } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { HEALTH_PROTO } from './proto/health-proto';
import { PLUGIN_PROTO } from './proto/plugin-proto';
import { TFPLUGIN6_PROTO } from './proto/tfplugin6-proto';

/** The gRPC services a provider process serves (or a test client calls). */
export interface ProtocolServices {
  provider: ServiceDefinition;
  controller: ServiceDefinition;
  stdio: ServiceDefinition;
  health: ServiceDefinition;
}

// keepCase: handlers and messages use the proto field names (type_name, Error). longs: Number:
// the only int64s are schema versions, item counts and list indexes. enums: String: readable
// names ('ERROR', 'LIST'); protobufjs accepts names or numbers when encoding. bytes stay Buffers.
const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, oneofs: true, longs: Number, enums: String };

let cached: ProtocolServices | undefined;

/** Parses the protos once per process; called by serveProvider and by test clients. */
export function loadProtocolServices(): ProtocolServices {
  if (cached) return cached;
  const root = new protobuf.Root();
  for (const text of [TFPLUGIN6_PROTO, PLUGIN_PROTO, HEALTH_PROTO]) {
    protobuf.parse(text, root, { keepCase: true });
  }
  const defs = protoLoader.fromJSON(root.toJSON(), LOADER_OPTIONS);
  const service = (name: string): ServiceDefinition => {
    const def = defs[name];
    if (!def) throw new Error(`service ${name} missing from the embedded protos`);
    return def as unknown as ServiceDefinition;
  };
  cached = {
    provider: service('tfplugin6.Provider'),
    controller: service('plugin.GRPCController'),
    stdio: service('plugin.GRPCStdio'),
    health: service('grpc.health.v1.Health'),
  };
  return cached;
}
