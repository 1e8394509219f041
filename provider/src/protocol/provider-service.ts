/**
 * The tfplugin6.Provider gRPC handlers: each decodes its request against the schema type,
 * calls the ProviderServer and encodes the result. A thrown error (a bug, never a user problem)
 * becomes an "Internal provider error" diagnostic so the process keeps serving.
 */
import type { sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { ProviderServer, WireSchema, WireSchemas } from './provider-server';
import type { Diagnostic } from './values';
import { decodeDynamicValue, decodeJson, encodeMsgpack, type DynamicValueBytes } from './cty-codec';
import { impliedType, type CtyType } from './cty-type';
import { logger as defaultLogger, type Logger } from './logger';
import { parseExactJson } from './parse-exact-json';
import { schemaResponse, type PreparedSchemaResponse } from './schema-response';
import { SERVER_CAPABILITIES } from './server-capabilities';
import { toProtoDiagnostic, toProtoDiagnostics, toProtoPath, type ProtoDiagnostic } from './wire-messages';

export { SERVER_CAPABILITIES } from './server-capabilities';

interface CompiledSchema {
  version: number;
  type: CtyType;
}
interface Compiled {
  wire: WireSchemas;
  provider: CompiledSchema;
  resources: Map<string, CompiledSchema>;
  dataSources: Map<string, CompiledSchema>;
}

// A problem reported to the user as a diagnostic instead of an internal error.
class DiagnosticError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.summary);
  }
}

// Decoded request objects, shaped by the proto (keepCase field names).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler reads the fields its message has.
type Req = Record<string, any>;
type Res = Record<string, unknown> & { diagnostics?: ProtoDiagnostic[] };

const dv = (bytes: Uint8Array): { msgpack: Buffer } => ({ msgpack: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
// Hosts send empty bytes for "no private state"; the framework sees undefined.
const priv = (b: Uint8Array | undefined | null): Uint8Array | undefined => (b && b.length > 0 ? b : undefined);
const bytesOut = (b: Uint8Array | undefined): Buffer => (b ? Buffer.from(b) : Buffer.alloc(0));

/**
 * Builds the handler object for `server.addService(services.provider, …)`; called once by
 * serveProvider (and by tests). Schemas are compiled to cty types on first use and cached;
 * `preparedSchema` is the GetProviderSchema answer the build encoded for `server.schemas()`.
 */
export function createProviderService(server: ProviderServer, log: Logger = defaultLogger, preparedSchema?: PreparedSchemaResponse): UntypedServiceImplementation {
  let compiled: Compiled | undefined;
  let encodedSchema: Buffer | undefined;
  const schemas = (): Compiled => (compiled ??= compile(server.schemas()));
  const resource = (typeName: string): CompiledSchema => lookup(schemas().resources, typeName, 'resource');
  const dataSource = (typeName: string): CompiledSchema => lookup(schemas().dataSources, typeName, 'data source');

  const unary =
    (rpc: string, fn: (req: Req) => Promise<Res>) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      const started = performance.now();
      const typeName = typeof call.request?.type_name === 'string' ? call.request.type_name : undefined;
      fn(call.request ?? {})
        .catch((err: unknown): Res => {
          if (err instanceof DiagnosticError) return { diagnostics: [toProtoDiagnostic(err.diagnostic)] };
          const e = err instanceof Error ? err : new Error(String(err));
          log.error('internal provider error', { rpc, type_name: typeName, error: e.message, stack: e.stack });
          return {
            diagnostics: [toProtoDiagnostic({ severity: 'error', summary: 'Internal provider error', detail: `${rpc} failed: ${e.message}. This is a bug in the provider; please report it.` })],
          };
        })
        .then((res) => {
          if (log.enabled('debug')) {
            const diags = res.diagnostics ?? [];
            log.debug('rpc done', {
              rpc,
              type_name: typeName,
              duration_ms: Math.round(performance.now() - started),
              errors: diags.filter((d) => d.severity === 'ERROR').length,
              warnings: diags.filter((d) => d.severity === 'WARNING').length,
            });
          }
          callback(null, res);
        });
    };

  return {
    GetMetadata: unary('GetMetadata', async () => {
      const c = schemas();
      return {
        server_capabilities: SERVER_CAPABILITIES,
        diagnostics: [],
        resources: [...c.resources.keys()].map((type_name) => ({ type_name })),
        data_sources: [...c.dataSources.keys()].map((type_name) => ({ type_name })),
      };
    }),

    // Already encoded (the serializer passes bytes through); no cty types needed either.
    GetProviderSchema: unary('GetProviderSchema', async () => (encodedSchema ??= schemaResponse(server.schemas(), preparedSchema)) as unknown as Res),

    // No resource identities: an empty map, which hosts accept like "none declared".
    GetResourceIdentitySchemas: unary('GetResourceIdentitySchemas', async () => ({})),

    ValidateProviderConfig: unary('ValidateProviderConfig', async (req) => {
      const config = decodeDynamicValue(req.config, schemas().provider.type);
      return { diagnostics: toProtoDiagnostics(await server.validateProviderConfig(config)) };
    }),

    ValidateResourceConfig: unary('ValidateResourceConfig', async (req) => {
      const { type } = resource(req.type_name);
      return { diagnostics: toProtoDiagnostics(await server.validateResourceConfig(req.type_name, decodeDynamicValue(req.config, type))) };
    }),

    ValidateDataResourceConfig: unary('ValidateDataResourceConfig', async (req) => {
      const { type } = dataSource(req.type_name);
      return { diagnostics: toProtoDiagnostics(await server.validateDataSourceConfig(req.type_name, decodeDynamicValue(req.config, type))) };
    }),

    UpgradeResourceState: unary('UpgradeResourceState', async (req) => {
      const current = resource(req.type_name);
      const version = Number(req.version ?? 0);
      const json: Buffer | undefined = req.raw_state?.json;
      if ((!json || json.length === 0) && req.raw_state?.flatmap && Object.keys(req.raw_state.flatmap).length > 0) {
        throw new DiagnosticError({
          severity: 'error',
          summary: 'Unsupported State Format',
          detail: 'This resource was stored in the pre-0.12 flatmap state format. Refresh it with a Terraform version between 0.12 and 1.5 first.',
        });
      }
      const text = json && json.length > 0 ? json.toString('utf8') : 'null';
      // Same version: hand over the state already fitted to the schema (missing attributes null,
      // unknown keys dropped, numbers exact). Older version: the raw JSON, for the upgrader.
      const rawState: unknown = version === current.version ? decodeJson(text, current.type) : parseExactJson(text);
      const res = await server.upgradeResourceState(req.type_name, version, rawState);
      return { upgraded_state: dv(encodeMsgpack(res.upgraded, current.type)), diagnostics: toProtoDiagnostics(res.diagnostics) };
    }),

    ConfigureProvider: unary('ConfigureProvider', async (req) => {
      const config = decodeDynamicValue(req.config, schemas().provider.type);
      return { diagnostics: toProtoDiagnostics(await server.configureProvider(config, String(req.terraform_version ?? ''))) };
    }),

    ReadResource: unary('ReadResource', async (req) => {
      const { type } = resource(req.type_name);
      const current = decodeDynamicValue(req.current_state as DynamicValueBytes, type);
      const res = await server.readResource(req.type_name, current, priv(req.private));
      return {
        new_state: dv(encodeMsgpack(res.newState, type)),
        diagnostics: toProtoDiagnostics(res.diagnostics),
        // Private state the framework did not replace is kept, not wiped.
        private: bytesOut(res.private ?? priv(req.private)),
      };
    }),

    PlanResourceChange: unary('PlanResourceChange', async (req) => {
      const { type } = resource(req.type_name);
      const res = await server.planResourceChange(
        req.type_name,
        decodeDynamicValue(req.prior_state, type),
        decodeDynamicValue(req.proposed_new_state, type),
        decodeDynamicValue(req.config, type),
        priv(req.prior_private),
      );
      return {
        planned_state: dv(encodeMsgpack(res.planned, type)),
        requires_replace: (res.requiresReplace ?? []).map(toProtoPath),
        planned_private: bytesOut(res.plannedPrivate ?? priv(req.prior_private)),
        diagnostics: toProtoDiagnostics(res.diagnostics),
      };
    }),

    ApplyResourceChange: unary('ApplyResourceChange', async (req) => {
      const { type } = resource(req.type_name);
      const res = await server.applyResourceChange(
        req.type_name,
        decodeDynamicValue(req.prior_state, type),
        decodeDynamicValue(req.planned_state, type),
        decodeDynamicValue(req.config, type),
        priv(req.planned_private),
      );
      return {
        new_state: dv(encodeMsgpack(res.newState, type)),
        private: bytesOut(res.private ?? priv(req.planned_private)),
        diagnostics: toProtoDiagnostics(res.diagnostics),
      };
    }),

    ImportResourceState: unary('ImportResourceState', async (req) => {
      resource(req.type_name);
      const res = await server.importResourceState(req.type_name, String(req.id ?? ''));
      return {
        imported_resources: (res.imported ?? []).map((r) => {
          const typeName = r.typeName || req.type_name;
          return { type_name: typeName, state: dv(encodeMsgpack(r.state, resource(typeName).type)), private: bytesOut(r.private) };
        }),
        diagnostics: toProtoDiagnostics(res.diagnostics),
      };
    }),

    ReadDataSource: unary('ReadDataSource', async (req) => {
      const { type } = dataSource(req.type_name);
      const res = await server.readDataSource(req.type_name, decodeDynamicValue(req.config, type));
      return { state: dv(encodeMsgpack(res.state, type)), diagnostics: toProtoDiagnostics(res.diagnostics) };
    }),

    StopProvider: (_call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
      Promise.resolve()
        .then(() => server.stop())
        .then(
          (message) => callback(null, { Error: message ?? '' }),
          (err: unknown) => callback(null, { Error: err instanceof Error ? err.message : String(err) }),
        );
    },
  };
}

function compile(wire: WireSchemas): Compiled {
  const one = (s: WireSchema): CompiledSchema => ({ version: Number(s.version ?? 0), type: impliedType(s.block ?? { attributes: [], block_types: [] }) });
  const many = (m: Record<string, WireSchema> | undefined) => new Map(Object.entries(m ?? {}).map(([k, s]) => [k, one(s)]));
  return { wire, provider: one(wire.provider), resources: many(wire.resource_schemas), dataSources: many(wire.data_source_schemas) };
}

function lookup(m: Map<string, CompiledSchema>, typeName: string, kind: string): CompiledSchema {
  const s = m.get(typeName);
  if (s) return s;
  throw new DiagnosticError({
    severity: 'error',
    summary: `Unknown ${kind} type`,
    detail: `This provider has no ${kind} type "${typeName}". Check the name, or upgrade the provider.`,
  });
}
