/**
 * Turns the embedded protobufjs JSON descriptor (compiled from proto/*.proto at development time
 * by proto/embed-protos.ts) into grpc-js service definitions. A single bundled JS file needs no
 * .proto files beside it, and start-up neither parses proto text nor builds the descriptor protos
 * that @grpc/proto-loader makes for server reflection, which a provider never serves.
 */
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
// The light build: reflection and codecs without the .proto parser.
import protobuf from 'protobufjs/light.js';
import descriptor from './proto/protocol-descriptor.json' with { type: 'json' };

/** The gRPC services a provider process serves (or a test client calls). */
export interface ProtocolServices {
  provider: ServiceDefinition;
  controller: ServiceDefinition;
  stdio: ServiceDefinition;
  health: ServiceDefinition;
}

/**
 * How decoded messages look, as proto-loader made them with { keepCase, oneofs, longs: Number,
 * enums: String }: proto field names; int64s as numbers (the only ones are schema versions,
 * item counts and list indexes); readable enum names ('ERROR', 'LIST'), while encoding accepts
 * names or numbers; the name of the set member on each oneof; bytes stay Buffers.
 */
const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: String, oneofs: true };

let cached: ProtocolServices | undefined;
let root: protobuf.Root | undefined;

/**
 * Builds the services once per process; called by startPluginServer and by test clients. Only
 * method names come from the descriptor here; the protobufjs types are built on the first
 * message, so that work happens after the handshake line rather than before it.
 */
export function loadProtocolServices(): ProtocolServices {
  cached ??= {
    provider: serviceDefinition('tfplugin6.Provider'),
    controller: serviceDefinition('plugin.GRPCController'),
    stdio: serviceDefinition('plugin.GRPCStdio'),
    health: serviceDefinition('grpc.health.v1.Health'),
  };
  return cached;
}

interface MethodJson {
  requestStream?: boolean;
  responseStream?: boolean;
}

/** One service's methods with protobufjs codecs, in the shape grpc-js's addService takes. */
function serviceDefinition(fullName: string): ServiceDefinition {
  const methods: Record<string, MethodDefinition<object, object>> = {};
  for (const [name, m] of Object.entries(methodsOf(fullName))) {
    const request = () => messageType(fullName, name, 'request');
    const response = () => messageType(fullName, name, 'response');
    methods[name] = {
      path: `/${fullName}/${name}`,
      requestStream: m.requestStream === true,
      responseStream: m.responseStream === true,
      requestSerialize: serializer(request),
      requestDeserialize: deserializer(request),
      responseSerialize: serializer(response),
      responseDeserialize: deserializer(response),
    };
  }
  return methods as ServiceDefinition;
}

function methodsOf(fullName: string): Record<string, MethodJson> {
  let ns: unknown = descriptor;
  for (const part of fullName.split('.')) ns = (ns as { nested?: Record<string, unknown> }).nested?.[part];
  const methods = (ns as { methods?: Record<string, MethodJson> } | undefined)?.methods;
  if (!methods) throw new Error(`service ${fullName} missing from the embedded protos`);
  return methods;
}

function messageType(service: string, method: string, side: 'request' | 'response'): protobuf.Type {
  root ??= protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
  const m = root.lookupService(service).methods[method]!;
  m.resolve();
  return side === 'request' ? m.resolvedRequestType! : m.resolvedResponseType!;
}

/** Encodes one message outside a call; for responses prepared ahead (schema-response.ts). */
export function encodeMessage(service: string, method: string, side: 'request' | 'response', value: object): Buffer {
  return serializer(() => messageType(service, method, side))(value);
}

// Handlers may answer with bytes encoded ahead (GetProviderSchema); an empty message (Shutdown,
// an empty request) is zero bytes either way. Neither needs the protobufjs types, which a
// process that only serves the schema then never builds.
function serializer(type: () => protobuf.Type): (value: object) => Buffer {
  let t: protobuf.Type | undefined;
  return (value) => {
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (isEmptyObject(value)) return Buffer.alloc(0);
    t ??= type();
    const bytes = t.encode(t.fromObject(value as Record<string, unknown>)).finish();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializer(type: () => protobuf.Type): (bytes: Buffer) => object {
  let t: protobuf.Type | undefined;
  return (bytes) => {
    if (bytes.length === 0) return {};
    t ??= type();
    return t.toObject(t.decode(bytes), TO_OBJECT);
  };
}

function isEmptyObject(value: object): boolean {
  for (const _ in value) return false;
  return true;
}
