/**
 * The generic provider engine: implements ProviderServer over a provider definition (its config
 * checks and configure step), a registry of resources and data sources and the schema model.
 * Knows no protobuf, no resource, no backend: resources get the provider data by `configure`.
 */
import { basename } from 'node:path';
import type { AttributeSpec, ProviderSpec, ResourceSpec } from '@opensym/schemas';
import type { ApplyResult, PlanResult, ProviderServer, ReadResult, WireSchemas } from '../protocol/provider-server';
import { logger } from '../protocol/logger';
import type { AttributePath, Diagnostic, TfValue } from '../protocol/values';
import { errorDiagnostic, errorToDiagnostics, issuePath, partialStateOf } from './diagnostics';
import { forEachObject, isObject, shapeObject, unknownsToNull, type ObjectSpec } from './object-spec';
import { planResource } from './plan';
import type { Configured, ProviderDefinition, SourceProblem } from './provider';
import { ResourceRegistry, type Configurable, type DataSource, type Resource, type ResourceContext } from './resource';
import { absoluteSourcePath, fileCallPath, looksLikePath, readSourceFile } from './source-or-path';

/** One validator finding: where (steps or JSON pointer) and what is wrong. */
export interface ValidationIssue {
  path: unknown;
  message: string;
}

/** Everything the engine needs, passed in so tests can use fakes. */
export interface FrameworkProviderOptions<Data> {
  wireSchemas: WireSchemas;
  /** The provider: config checks, configure step (its result goes to every resource), error mapping. */
  provider: ProviderDefinition<Data>;
  resources: Resource<Data>[];
  dataSources?: DataSource<Data>[];
  /** Attribute-level validation from the schema model (`validateAgainstSpec`). */
  validate?: (spec: ResourceSpec | ProviderSpec, value: TfValue) => ValidationIssue[];
  /** The Terraform working directory, for relative implementation paths. */
  cwd?: string;
}

/** ProviderServer implementation mirroring terraform-plugin-framework. */
export class FrameworkProvider<Data = unknown> implements ProviderServer {
  readonly #opts: FrameworkProviderOptions<Data>;
  readonly #registry: ResourceRegistry<Data>;
  readonly #cwd: string;
  #configured: Configured<Data> | undefined;
  #ready: Promise<Data> | undefined;

  constructor(opts: FrameworkProviderOptions<Data>) {
    this.#opts = opts;
    this.#registry = new ResourceRegistry(opts.resources, opts.dataSources ?? []);
    this.#cwd = opts.cwd ?? process.cwd();
  }

  schemas(): WireSchemas {
    return this.#opts.wireSchemas;
  }

  async validateProviderConfig(config: TfValue): Promise<Diagnostic[]> {
    const cfg = isObject(config) ? config : {};
    const spec = this.#opts.provider.spec;
    if (spec && this.#opts.validate) {
      try {
        const issues = this.#opts.validate(spec, cfg);
        if (issues.length) return issues.map((i) => errorDiagnostic('Invalid provider configuration', i.message, issuePath(spec, i.path)));
      } catch (e) {
        logger.warn('provider config validation failed', { error: String(e) });
      }
    }
    return this.#opts.provider.validateConfig?.(cfg) ?? [];
  }

  async configureProvider(config: TfValue, _terraformVersion?: string): Promise<Diagnostic[]> {
    const configured = this.#opts.provider.configure(config);
    this.#configured = configured;
    this.#ready = undefined;
    // Unknown provider config (e.g. from another resource) is only known at apply: connect on first use.
    if (configured.deferred) return [];
    try {
      await this.#data();
      return [];
    } catch (e) {
      return this.#diagnostics(e, undefined, 'configure the provider');
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
        logger.warn('schema validation failed', { type: typeName, error: String(e) });
      }
    }
    if (isObject(config)) {
      forEachObject(res.spec, config, {}, (spec, value, _c, _p, path) => {
        for (const [name, attr] of Object.entries(spec.attributes)) {
          const v = value[name];
          if (!attr.sourceOrPath || typeof v !== 'string') continue;
          const refused = this.#opts.provider.checkSourceValue?.(v, attr);
          if (refused) {
            diags.push(errorDiagnostic(refused.summary, refused.detail, [...path, name]));
            continue;
          }
          const fromFile = readSourceFile(v, this.#cwd);
          const called = fileCallPath(v);
          if (fromFile === undefined && (called !== undefined || looksLikePath(v))) {
            diags.push(
              errorDiagnostic(
                'Implementation file not found',
                `"${v}" looks like a file path, but there is no file at ${absoluteSourcePath(called ?? v, this.#cwd)}. ` +
                  `Give the source inline (for example with file("...")) or a path relative to the Terraform working directory.`,
                [...path, name],
              ),
            );
            continue;
          }
          // The file's name (when the value is a path) lets its extension choose the language.
          const problems = this.#opts.provider.checkSource?.(fromFile ?? v, attr, fromFile === undefined ? undefined : v) ?? [];
          if (problems.length > 0) diags.push(sourceProblemsDiagnostic(problems, fromFile === undefined ? undefined : v, [...path, name]));
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
          errorDiagnostic('State written by a newer provider', `The state of this ${typeName} has schema version ${version}, but this provider knows up to ${res.spec.version}. Upgrade the provider.`),
        ],
      };
    }
    if (version < res.spec.version) {
      if (!res.upgradeState) {
        return {
          upgraded: null,
          diagnostics: [
            errorDiagnostic('State written by an older provider', `The state of this ${typeName} has schema version ${version}, and this provider cannot upgrade it to version ${res.spec.version}.`),
          ],
        };
      }
      try {
        rawState = res.upgradeState(version, rawState);
      } catch (e) {
        return { upgraded: null, diagnostics: this.#diagnostics(e, res.spec, `upgrade the state of ${typeName} from version ${version}`) };
      }
    }
    // Fit the JSON to the current schema: unknown keys dropped, missing attributes null.
    return { upgraded: shapeObject(res.spec, rawState), diagnostics: [] };
  }

  async readResource(typeName: string, currentState: TfValue, priv: Uint8Array | undefined): Promise<ReadResult> {
    const res = this.#registry.resource(typeName);
    if (!res) return { newState: currentState, diagnostics: [unknownType('resource', typeName)] };
    if (!isObject(currentState)) return { newState: null, private: priv, diagnostics: [] };
    try {
      const ctx = await this.#context(res);
      const next = await res.read(ctx, currentState);
      return { newState: next === null ? null : unknownsToNull(next), private: priv, diagnostics: [] };
    } catch (e) {
      return { newState: currentState, private: priv, diagnostics: this.#diagnostics(e, res.spec, `read ${typeName}`) };
    }
  }

  async planResourceChange(typeName: string, priorState: TfValue, proposedNewState: TfValue, config: TfValue, priorPrivate: Uint8Array | undefined): Promise<PlanResult> {
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
      const diagnostics = [...(isObject(out.planned) ? await this.#checkPlan(res.spec, out.planned) : []), ...(await this.#checkSourcesAtPlan(res.spec, priorState, out.planned))];
      return { planned: out.planned, requiresReplace: out.requiresReplace, plannedPrivate: priorPrivate, diagnostics };
    } catch (e) {
      return { planned: proposedNewState, requiresReplace: [], diagnostics: this.#diagnostics(e, res.spec, `plan ${typeName}`) };
    }
  }

  async applyResourceChange(typeName: string, priorState: TfValue, plannedState: TfValue, _config: TfValue, plannedPrivate: Uint8Array | undefined): Promise<ApplyResult> {
    const res = this.#registry.resource(typeName);
    if (!res) return { newState: priorState, diagnostics: [unknownType('resource', typeName)] };
    const prior = isObject(priorState) ? priorState : null;
    const planned = isObject(plannedState) ? plannedState : null;
    const action = prior === null ? 'create' : planned === null ? 'delete' : 'update';
    try {
      const ctx = await this.#context(res);
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
      const partialState = partialStateOf(e);
      const partial = isObject(partialState) ? unknownsToNull(partialState) : undefined;
      // A failed create keeps nothing unless something was made; a failed update or delete keeps the prior state.
      const newState = partial ?? (action === 'create' ? null : priorState);
      return { newState, private: plannedPrivate, diagnostics: this.#diagnostics(e, res.spec, `${action} ${typeName}`) };
    }
  }

  async importResourceState(typeName: string, id: string): ReturnType<ProviderServer['importResourceState']> {
    const res = this.#registry.resource(typeName);
    if (!res) return { imported: [], diagnostics: [unknownType('resource', typeName)] };
    try {
      const ctx = await this.#context(res);
      const state = await res.importState(ctx, id);
      return { imported: [{ typeName, state: unknownsToNull(state) }], diagnostics: [] };
    } catch (e) {
      return { imported: [], diagnostics: this.#diagnostics(e, res.spec, `import ${typeName} "${id}"`) };
    }
  }

  async readDataSource(typeName: string, config: TfValue): Promise<{ state: TfValue; diagnostics: Diagnostic[] }> {
    const ds = this.#registry.dataSource(typeName);
    if (!ds) return { state: null, diagnostics: [unknownType('data source', typeName)] };
    try {
      const ctx = await this.#context(ds);
      const state = await ds.read(ctx, isObject(config) ? config : {});
      return { state: unknownsToNull(state), diagnostics: [] };
    } catch (e) {
      return { state: null, diagnostics: this.#diagnostics(e, undefined, `read data source ${typeName}`) };
    }
  }

  async stop(): Promise<string> {
    this.#opts.provider.stop?.();
    return '';
  }

  /** The provider's plan-time checks; the provider data is offered unless the provider config is unknown (apply connects, and the backend checks then). */
  async #checkPlan(spec: ResourceSpec, planned: Record<string, TfValue>): Promise<Diagnostic[]> {
    const check = this.#opts.provider.checkPlan;
    if (!check) return [];
    return check(spec, planned, this.#configured?.deferred ? undefined : () => this.#data());
  }

  /**
   * The provider's plan-time check (`checkSourceAtPlan`) of each source-or-path attribute whose
   * source changes (new, or a hash other than the prior state's). Skipped while the provider
   * config is unknown, and whenever the backend cannot be asked: validate has checked what the
   * provider can alone, and apply still refuses a bad module.
   */
  async #checkSourcesAtPlan(spec: ResourceSpec, prior: TfValue, planned: TfValue): Promise<Diagnostic[]> {
    const check = this.#opts.provider.checkSourceAtPlan;
    if (!check || !isObject(planned) || this.#configured?.deferred) return [];
    const pending: { source: string; attribute: AttributeSpec; value: string; fromFile: boolean; path: AttributePath }[] = [];
    forEachObject(spec, planned, { prior }, (objSpec, value, _config, pri, path) => {
      for (const [name, attribute] of Object.entries(objSpec.attributes)) {
        const v = value[name];
        if (!attribute.sourceOrPath || typeof v !== 'string' || (attribute.emptyEqualsNull && v === '')) continue;
        const hash = attribute.sourceOrPath.hashAttribute;
        if (pri !== undefined && pri[hash] === value[hash]) continue;
        const fromFile = readSourceFile(v, this.#cwd);
        pending.push({ source: fromFile ?? v, attribute, value: v, fromFile: fromFile !== undefined, path: [...path, name] });
      }
    });
    if (pending.length === 0) return [];
    const diags: Diagnostic[] = [];
    try {
      const data = await this.#data();
      for (const p of pending) {
        // Only the file's name travels (its extension chooses the language), not the local path.
        const filename = p.fromFile ? basename(fileCallPath(p.value) ?? p.value) : undefined;
        const problems = await check(data, p.source, p.attribute, filename);
        if (problems.length > 0) diags.push(sourceProblemsDiagnostic(problems, p.fromFile ? p.value : undefined, p.path));
      }
    } catch (e) {
      logger.warn('plan-time implementation check skipped', { error: String(e) });
    }
    return diags;
  }

  /** Hands the provider data to the resource (its configure step) and builds the call context. */
  async #context(target: Configurable<Data>): Promise<ResourceContext> {
    const data = await this.#data();
    target.configure?.(data);
    return { cwd: this.#cwd };
  }

  /** The provider data, produced once by the provider's configure step (configured with null if the host never called it). */
  #data(): Promise<Data> {
    this.#configured ??= this.#opts.provider.configure(null);
    this.#ready ??= this.#configured.connect();
    return this.#ready;
  }

  #diagnostics(err: unknown, spec: ObjectSpec | undefined, action: string): Diagnostic[] {
    return errorToDiagnostics(err, spec, action, this.#opts.provider.errorDiagnostics);
  }
}

/** One diagnostic on a source-or-path attribute listing each problem with its line. */
function sourceProblemsDiagnostic(problems: readonly SourceProblem[], file: string | undefined, path: AttributePath): Diagnostic {
  const where = file === undefined ? 'The implementation' : `The implementation in ${file}`;
  const lines = problems.map((p) => `line ${p.line}: ${p.message}`).join('\n');
  const detail = problems.length === 1 ? `${where}, ${lines}` : `${where} has ${problems.length} problems:\n${lines}`;
  return errorDiagnostic('Invalid implementation', detail, path);
}

function unknownType(what: string, typeName: string): Diagnostic {
  return errorDiagnostic(`Unknown ${what} type`, `This provider has no ${what} named "${typeName}".`);
}
