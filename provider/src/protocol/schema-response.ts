/**
 * The GetProviderSchema response as bytes. Terraform asks for the schema once per command, and
 * building it (a few hundred attributes through protobufjs) was a visible share of that first
 * process's life, so the build encodes it ahead (scripts/encode-schema-response.ts) and the
 * entry point hands the bytes in with the schema they were made from; any other schema (tests,
 * fixtures) is encoded on first use. This layer never reads the generated schema itself.
 */
import { encodeMessage } from './load-protos';
import type { WireSchemas } from './provider-server';
import { SERVER_CAPABILITIES } from './server-capabilities';
import { toProtoSchemas } from './wire-messages';

/** A GetProviderSchema answer encoded ahead (by the build) from exactly `schemas`. */
export interface PreparedSchemaResponse {
  schemas: WireSchemas;
  /** base64 of encodeSchemaResponse(schemas). */
  base64: string;
}

/** Encodes the full response for `wire`; used by the build and as the fallback. */
export function encodeSchemaResponse(wire: WireSchemas): Buffer {
  return encodeMessage('tfplugin6.Provider', 'GetProviderSchema', 'response', {
    ...toProtoSchemas(wire),
    diagnostics: [],
    server_capabilities: SERVER_CAPABILITIES,
  });
}

/** The response for `wire`: the prepared bytes when `wire` is the very schema they were made from. */
export function schemaResponse(wire: WireSchemas, prepared?: PreparedSchemaResponse): Buffer {
  if (prepared && prepared.schemas === wire) return Buffer.from(prepared.base64, 'base64');
  return encodeSchemaResponse(wire);
}
