// Prints the encoded GetProviderSchema response of the committed schema as base64, for
// build.mjs to embed (src/protocol/schema-response.ts). Run with tsx.
import wire from '../../schemas/generated/provider-schema.json' with { type: 'json' };
import type { WireSchemas } from '../src/protocol/provider-server';
import { encodeSchemaResponse } from '../src/protocol/schema-response';

process.stdout.write(encodeSchemaResponse(wire as unknown as WireSchemas).toString('base64'));
