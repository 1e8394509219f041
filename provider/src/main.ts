/**
 * Entry point of terraform-provider-sym: wires the schema model, the generated wire schema, the
 * sym provider definition and the resources into the framework, and serves it over the plugin
 * protocol. Nothing may write to stdout before the handshake line.
 */
import { dataSources, providerSpec, resources, validateAgainstSpec } from '@opensym/schemas';
// Imported as JSON so the bundle carries the exact schema the generator committed.
import wire from '../../schemas/generated/provider-schema.json' with { type: 'json' };
import { FrameworkProvider } from './framework/framework-provider';
import type { WireSchemas } from './protocol/provider-server';
import { buildDataSources, buildResources } from './resources/build-resources';
import { createSymProvider } from './sym/sym-provider';

// Set by scripts/build.mjs (esbuild `define`): base64 of the GetProviderSchema answer for `wire`.
declare const __OPENSYM_SCHEMA_RESPONSE__: string | undefined;

const wireSchemas = wire as unknown as WireSchemas;

const provider = new FrameworkProvider({
  wireSchemas,
  provider: createSymProvider({ spec: providerSpec }),
  resources: buildResources(resources),
  dataSources: buildDataSources(dataSources, resources, wireSchemas),
  validate: (spec, value) => validateAgainstSpec(spec, value),
});
const preparedSchema = typeof __OPENSYM_SCHEMA_RESPONSE__ === 'string' ? { schemas: wireSchemas, base64: __OPENSYM_SCHEMA_RESPONSE__ } : undefined;

// The protocol layer (gRPC, TLS) is the heavy part; load it only once the framework is wired.
// No top-level await: the bundle is CommonJS so that its compiled code can be cached (build.mjs).
void import('./protocol/serve').then(({ serveProvider }) => serveProvider(provider, { preparedSchema }));
