/**
 * The generic provider engine: implements ProviderServer over a registry of resources and data
 * sources, the schema model and the control-plane client. Knows no protobuf and no resource.
 */
import type { ProviderSpec, ResourceSpec } from '@opensym/schemas';
import type { EntityApi } from '../client/api-client';
import { ApiError, ApiUnreachableError } from '../client/api-error';
import { DiagnosticsError, errorDiagnostic, errorToDiagnostics, issuePath } from './diagnostics';
import { checkImplementation, describeProblems } from './implementation-check';
import { log } from './log';
import { forEachObject, isObject, shapeObject, unknownsToNull, type TfObject } from './object-spec';
import { planResource } from './plan';
import { resolveProviderSettings, type ProviderSettings } from './provider-config';
import type { ApplyResult, PlanResult, ProviderServer, ReadResult, WireSchemas } from './provider-server';
import { ResourceRegistry, type DataSource, type Resource, type ResourceContext } from './resource';
import { absoluteSourcePath, looksLikePath, readSourceFile } from './source-or-path';
import type { Diagnostic, TfValue } from './values';

/** One validator finding: where (steps or JSON pointer) and what is wrong. */
export interface ValidationIssue {
  path: unknown;
  message: string;
}

/** A client the provider can cancel on StopProvider. */
export type ConnectedApi = EntityApi & { abortInFlight?(): void };

/** Everything the engine needs, passed in so tests can use fakes. */
export interface FrameworkProviderOptions {
  wireSchemas: WireSchemas;
  providerSpec?: ProviderSpec;
  resources: Resource[];
  dataSources?: DataSource[];
  /** Attribute-level validation from the schema model (`validateAgainstSpec`). */
  validate?: (spec: ResourceSpec | ProviderSpec, value: TfValue) => ValidationIssue[];
  /** Builds the API client once settings are known. */
  connect: (settings: { baseUrl: string; token: string }) => ConnectedApi;
  env?: NodeJS.ProcessEnv;
  /** The Terraform working directory, for relative implementation paths. */
  cwd?: string;
}

/** ProviderServer implementation mirroring terraform-plugin-framework. */
export class FrameworkProvider implements ProviderServer {
  readonly #opts: FrameworkProviderOptions;
  readonly #registry: ResourceRegistry;
  readonly #cwd: string;
  #settings: ProviderSettings | undefined;
  #api: ConnectedApi | undefined;
  #ready: Promise<ConnectedApi> | undefined;

  constructor(opts: FrameworkProviderOptions) {
    this.#opts = opts;
    this.#registry = new ResourceRegistry(opts.resources, opts.dataSources ?? []);
    this.#cwd = opts.cwd ?? process.cwd();
  }

  schemas(): WireSchemas {
    return this.#opts.wireSchemas;
  }

  async validateProviderConfig(config: TfValue): Promise<Diagnostic[]> {
    const cfg = isObject(config) ? config : {};
    const spec = this.#opts.providerSpec;
    if (spec && this.#opts.validate) {
      try {
        const issues = this.#opts.validate(spec, cfg);
        if (issues.length) return issues.map((i) => errorDiagnostic('Invalid provider configuration', i.message, issuePath(spec, i.path)));
      } catch (e) {
        log('warn', 'provider config validation failed', { error: String(e) });
      }
    }
    const url = cfg.api_url;
    if (typeof url === 'string' && url !== '' && !/^https?:\/\/[^\s/]+/.test(url)) {
      return [errorDiagnostic('Invalid api_url', `api_url must be an http(s) URL such as http://127.0.0.1:8080, got "${url}".`, ['api_url'])];
    }
    return [];
  }

  async configureProvider(config: TfValue, _terraformVersion?: string): Promise<Diagnostic[]> {
    const settings = resolveProviderSettings(config, this.#opts.env ?? process.env);
    this.#settings = settings;
    this.#api = undefined;
    this.#ready = undefined;
    // Unknown provider config (e.g. from another resource) is only known at apply: check on first use.
    if (settings.deferred) return [];
    try {
      await this.#client();
      return [];
    } catch (e) {
      return errorToDiagnostics(e, undefined, 'configure the provider');
    }
  }

  async validateResourceConfig(typeName: string, config: TfValue): Promise<Diagnostic[]> {
    const res = this.#registry.resource(typeName);
    if (!res) return [unknownType('resource', typeName)];
    const diags: Diagnostic[] = [];
    if (this.#opts.validate && isObject(config)) {
      try {
        for (const issue of this.#opts.validate(res.spec, config)) {
          diags.push(errorDiagnostic('Invalid value', issue.message, issuePath(res.spec, issue.path)));
        }
      } catch (e) {
        log('warn', 'schema validation failed', { type: typeName, error: String(e) });
      }
    }
    if (isObject(config)) {
      forEachObject(res.spec, config, {}, (spec, value, _c, _p, path) => {
        for (const [name, attr] of Object.entries(spec.attributes)) {
          const v = value[name];
          if (!attr.sourceOrPath || typeof v !== 'string') continue;
          const fromFile = readSourceFile(v, this.#cwd);
          if (fromFile === undefined && looksLikePath(v)) {
            diags.push(
              errorDiagnostic(
                'Implementation file not found',
                `"${v}" looks like a file path, but there is no file at ${absoluteSourcePath(v, this.#cwd)}. ` +
                  `Give the JavaScript source inline (for example with file("...")) or a path relative to the Terraform working directory.`,
                [...path, name],
              ),
            );
            continue;
          }
          const kind = attr.sourceOrPath.module;
          const problems = kind ? checkImplementation(fromFile ?? v, kind) : [];
          if (problems.length > 0) {
            const where = fromFile === undefined ? 'The implementation' : `The implementation in ${v}`;
            const detail = problems.length === 1 ? `${where}, ${describeProblems(problems)}` : `${where} has ${problems.length} problems:\n${describeProblems(problems)}`;
            diags.push(errorDiagnostic('Invalid implementation', detail, [...path, name]));
          }
        }
      });
    }
    return diags;
  }

  async validateDataSourceConfig(typeName: string, config: TfValue): Promise<Diagnostic[]> {
    const ds = this.#registry.dataSource(typeName);
    if (!ds) return [unknownType('data source', typeName)];
    const cfg = isObject(config) ? config : {};
    return ds.spec.lookup
      .filter((name) => cfg[name] === null || cfg[name] === undefined)
      .map((name) => errorDiagnostic('Missing lookup attribute', `Set "${name}" to select the ${typeName}.`, [name]));
  }

  async upgradeResourceState(typeName: string, version: number, rawState: unknown): Promise<{ upgraded: TfValue; diagnostics: Diagnostic[] }> {
    const res = this.#registry.resource(typeName);
    if (!res) return { upgraded: null, diagnostics: [unknownType('resource', typeName)] };
    if (version > res.spec.version) {
      return {
        upgraded: null,
        diagnostics: [
          errorDiagnostic(
            'State written by a newer provider',
            `The state of this ${typeName} has schema version ${version}, but this provider knows up to ${res.spec.version}. Upgrade the provider.`,
          ),
        ],
      };
    }
    // Same version (and no migrations yet): fit the JSON to the schema; unknown keys dropped, missing null.
    return { upgraded: shapeObject(res.spec, rawState), diagnostics: [] };
  }

  async readResource(typeName: string, currentState: TfValue, priv: Uint8Array | undefined): Promise<ReadResult> {
    const res = this.#registry.resource(typeName);
    if (!res) return { newState: currentState, diagnostics: [unknownType('resource', typeName)] };
    if (!isObject(currentState)) return { newState: null, private: priv, diagnostics: [] };
    try {
      const ctx = await this.#context();
      const next = await res.read(ctx, currentState);
      return { newState: next === null ? null : unknownsToNull(next), private: priv, diagnostics: [] };
    } catch (e) {
      return { newState: currentState, private: priv, diagnostics: errorToDiagnostics(e, res.spec, `read ${typeName}`) };
    }
  }

  async planResourceChange(
    typeName: string,
    priorState: TfValue,
    proposedNewState: TfValue,
    config: TfValue,
    priorPrivate: Uint8Array | undefined,
  ): Promise<PlanResult> {
    const res = this.#registry.resource(typeName);
    if (!res) return { planned: proposedNewState, requiresReplace: [], diagnostics: [unknownType('resource', typeName)] };
    try {
      const out = planResource({
        spec: res.spec,
        prior: priorState,
        proposed: proposedNewState,
        config,
        cwd: this.#cwd,
        modifyPlan: res.modifyPlan?.bind(res),
      });
      return { planned: out.planned, requiresReplace: out.requiresReplace, plannedPrivate: priorPrivate, diagnostics: [] };
    } catch (e) {
      return { planned: proposedNewState, requiresReplace: [], diagnostics: errorToDiagnostics(e, res.spec, `plan ${typeName}`) };
    }
  }

  async applyResourceChange(
    typeName: string,
    priorState: TfValue,
    plannedState: TfValue,
    _config: TfValue,
    plannedPrivate: Uint8Array | undefined,
  ): Promise<ApplyResult> {
    const res = this.#registry.resource(typeName);
    if (!res) return { newState: priorState, diagnostics: [unknownType('resource', typeName)] };
    const prior = isObject(priorState) ? priorState : null;
    const planned = isObject(plannedState) ? plannedState : null;
    const action = prior === null ? 'create' : planned === null ? 'delete' : 'update';
    try {
      const ctx = await this.#context();
      if (prior === null) {
        if (planned === null) return { newState: null, diagnostics: [] };
        return { newState: unknownsToNull(await res.create(ctx, planned)), private: plannedPrivate, diagnostics: [] };
      }
      if (planned === null) {
        await res.delete(ctx, prior);
        return { newState: null, diagnostics: [] };
      }
      return { newState: unknownsToNull(await res.update(ctx, prior, planned)), private: plannedPrivate, diagnostics: [] };
    } catch (e) {
      const partial = e instanceof DiagnosticsError && isObject(e.partialState) ? unknownsToNull(e.partialState as TfObject) : undefined;
      // A failed create keeps nothing unless something was made; a failed update or delete keeps the prior state.
      const newState = partial ?? (action === 'create' ? null : priorState);
      return { newState, private: plannedPrivate, diagnostics: errorToDiagnostics(e, res.spec, `${action} ${typeName}`) };
    }
  }

  async importResourceState(typeName: string, id: string): ReturnType<ProviderServer['importResourceState']> {
    const res = this.#registry.resource(typeName);
    if (!res) return { imported: [], diagnostics: [unknownType('resource', typeName)] };
    try {
      const ctx = await this.#context();
      const state = await res.importState(ctx, id);
      return { imported: [{ typeName, state: unknownsToNull(state) }], diagnostics: [] };
    } catch (e) {
      return { imported: [], diagnostics: errorToDiagnostics(e, res.spec, `import ${typeName} "${id}"`) };
    }
  }

  async readDataSource(typeName: string, config: TfValue): Promise<{ state: TfValue; diagnostics: Diagnostic[] }> {
    const ds = this.#registry.dataSource(typeName);
    if (!ds) return { state: null, diagnostics: [unknownType('data source', typeName)] };
    try {
      const ctx = await this.#context();
      const state = await ds.read(ctx, isObject(config) ? config : {});
      return { state: unknownsToNull(state), diagnostics: [] };
    } catch (e) {
      return { state: null, diagnostics: errorToDiagnostics(e, undefined, `read data source ${typeName}`) };
    }
  }

  async stop(): Promise<string> {
    this.#api?.abortInFlight?.();
    return '';
  }

  async #context(): Promise<ResourceContext> {
    return { api: await this.#client(), cwd: this.#cwd };
  }

  /** The checked client: settings resolved, token present, whoami answered for the right org. Memoised. */
  #client(): Promise<ConnectedApi> {
    this.#ready ??= this.#connect();
    return this.#ready;
  }

  async #connect(): Promise<ConnectedApi> {
    const settings = this.#settings ?? resolveProviderSettings(null, this.#opts.env ?? process.env);
    if (!settings.token) {
      throw new DiagnosticsError([
        errorDiagnostic(
          'Missing API token',
          `Set "token" in the provider block, or the ${settings.tokenSource} environment variable` +
            (settings.tokenSource === 'SYM_JWT' ? ' (or name another variable with jwt_env_var).' : ' named by jwt_env_var.'),
        ),
      ]);
    }
    const api = this.#opts.connect({ baseUrl: settings.apiUrl, token: settings.token });
    this.#api = api;
    let who;
    try {
      who = await api.whoami();
    } catch (e) {
      if (e instanceof ApiUnreachableError) {
        throw new DiagnosticsError([
          errorDiagnostic(
            'Cannot reach the OpenSym control plane',
            `${e.message}. Check api_url (or SYM_API_URL) and that the control plane is running.`,
          ),
        ]);
      }
      if (e instanceof ApiError && e.status === 401) {
        throw new DiagnosticsError([
          errorDiagnostic(
            'Invalid API token',
            `The control plane at ${settings.apiUrl} rejected the token (401). Check "token" or the ${settings.tokenSource} environment variable.`,
          ),
        ]);
      }
      throw e;
    }
    if (settings.org && who?.org?.slug && settings.org.toLowerCase() !== who.org.slug.toLowerCase()) {
      throw new DiagnosticsError([
        errorDiagnostic(
          'Organization mismatch',
          `The provider is configured for org "${settings.org}", but the token belongs to org "${who.org.slug}". Use a token of "${settings.org}" or fix "org" (or SYM_ORG).`,
          ['org'],
        ),
      ]);
    }
    return api;
  }
}

function unknownType(what: string, typeName: string): Diagnostic {
  return errorDiagnostic(`Unknown ${what} type`, `This provider has no ${what} named "${typeName}".`);
}

