/**
 * Entry point of terraform-provider-sym: wires the schema model, the generated wire schema, the
 * resources and the control-plane client into the framework, and serves it over the plugin
 * protocol. Nothing may write to stdout before the handshake line.
 */
import { dataSources, providerSpec, resources, validateAgainstSpec } from '@opensym/schemas';
// Imported as JSON so the bundle carries the exact schema the generator committed.
import wire from '../../schemas/generated/provider-schema.json' with { type: 'json' };
import { ApiClient } from './client/api-client';
import { FrameworkProvider } from './framework/framework-provider';
import type { WireSchemas } from './framework/provider-server';
import { buildDataSources, buildResources } from './resources/build-resources';

const wireSchemas = wire as unknown as WireSchemas;

const provider = new FrameworkProvider({
  wireSchemas,
  providerSpec,
  resources: buildResources(resources),
  dataSources: buildDataSources(dataSources, resources, wireSchemas),
  validate: (spec, value) => validateAgainstSpec(spec, value),
  connect: ({ baseUrl, token }) => new ApiClient({ baseUrl, token }),
});

// The protocol layer (gRPC, TLS) is the heavy part; load it only once the framework is wired.
// No top-level await: the bundle is CommonJS so that its compiled code can be cached (build.mjs).
void import('./protocol/serve').then(({ serveProvider }) => serveProvider(provider));
