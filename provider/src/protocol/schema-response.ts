/**
 * The GetProviderSchema response as bytes. Terraform asks for the schema once per command, and
 * building it (a few hundred attributes through protobufjs) was a visible share of that first
 * process's life, so the build encodes it ahead (scripts/encode-schema-response.ts) and the
 * bundle carries the bytes; any other schema (tests, fixtures) is encoded on first use.
 */
import type { WireSchemas } from '../framework/provider-server';
import bundledWire from '../../../schemas/generated/provider-schema.json' with { type: 'json' };
import { encodeMessage } from './load-protos';
import { SERVER_CAPABILITIES } from './server-capabilities';
import { toProtoSchemas } from './wire-messages';

// Set by scripts/build.mjs (esbuild `define`): base64 of encodeSchemaResponse(bundledWire).
declare const __OPENSYM_SCHEMA_RESPONSE__: string | undefined;

/** Encodes the full response for `wire`; used by the build and as the fallback. */
export function encodeSchemaResponse(wire: WireSchemas): Buffer {
  return encodeMessage('tfplugin6.Provider', 'GetProviderSchema', 'response', {
    ...toProtoSchemas(wire),
    diagnostics: [],
    server_capabilities: SERVER_CAPABILITIES,
  });
}

/** The response for `wire`: the build's bytes when `wire` is the schema they were made from. */
export function schemaResponse(wire: WireSchemas): Buffer {
  if (wire === (bundledWire as unknown) && typeof __OPENSYM_SCHEMA_RESPONSE__ === 'string') return Buffer.from(__OPENSYM_SCHEMA_RESPONSE__, 'base64');
  return encodeSchemaResponse(wire);
}
