/**
 * The `sym` provider definition: what terraform-plugin-framework's provider.Provider holds for
 * OpenSym. Its configure step resolves api_url / org / token (provider block, then SYM_API_URL,
 * SYM_ORG, SYM_JWT or jwt_env_var), asks the control plane `whoami` and, for a token written in
 * the provider block, checks the org (a token from the environment is not, as in Sym); the
 * checked client is the ProviderData every resource receives. It also checks hook code at
 * validate time (and Python's syntax at plan time, through the control plane) and maps the
 * control plane's errors to diagnostics.
 */
import { implementationLanguage, type AttributeSpec, type ProviderSpec } from '@opensym/schemas';
import { ApiClient, type EntityApi, type ImplementationCheckBody, type ImplementationCheckResult } from '../client/api-client';
import { ApiError, ApiUnreachableError } from '../client/api-error';
import { DiagnosticsError, errorDiagnostic } from '../framework/diagnostics';
import type { TfObject } from '../framework/object-spec';
import type { Configured, ProviderDefinition, SourceProblem } from '../framework/provider';
import type { Diagnostic, TfValue } from '../protocol/values';
import { apiErrorDiagnostics } from './api-error-diagnostics';
import { checkImplementation } from './implementation-check';
import { checkStrategyReferences } from './strategy-plan-check';
import { resolveProviderSettings, type ProviderSettings } from './provider-config';

/**
 * A client the provider can cancel on StopProvider; `checkImplementation` (the control plane's
 * check of a module, `ApiClient` has it) backs the plan-time check of Python code.
 */
export type ConnectedApi = EntityApi & { abortInFlight?(): void; checkImplementation?(body: ImplementationCheckBody): Promise<ImplementationCheckResult> };

/** Options for createSymProvider; tests pass a fake `connect` and `env`. */
export interface SymProviderOptions {
  /** The provider block's schema model (`providerSpec` of @opensym/schemas). */
  spec?: ProviderSpec;
  /** Builds the API client once settings are known. Default: the HTTP ApiClient. */
  connect?: (settings: { baseUrl: string; token: string }) => ConnectedApi;
  env?: NodeJS.ProcessEnv;
}

/** Builds the sym provider definition for FrameworkProvider. */
export function createSymProvider(opts: SymProviderOptions = {}): ProviderDefinition<ConnectedApi> {
  const connect = opts.connect ?? ((s) => new ApiClient(s));
  let api: ConnectedApi | undefined;
  return {
    spec: opts.spec,
    validateConfig: validateApiUrl,
    configure(config: TfValue): Configured<ConnectedApi> {
      const settings = resolveProviderSettings(config, opts.env ?? process.env);
      api = undefined;
      return {
        deferred: settings.deferred,
        connect: () =>
          connectChecked(settings, (s) => {
            api = connect(s);
            return api;
          }),
      };
    },
    checkSourceValue,
    checkSource,
    checkPlan: checkStrategyReferences,
    checkSourceAtPlan,
    errorDiagnostics: apiErrorDiagnostics,
    stop: () => api?.abortInFlight?.(),
  };
}

function validateApiUrl(cfg: TfObject): Diagnostic[] {
  const url = cfg.api_url;
  if (typeof url === 'string' && url !== '' && !/^https?:\/\/[^\s/]+/.test(url)) {
    return [errorDiagnostic('Invalid api_url', `api_url must be an http(s) URL such as http://127.0.0.1:8080, got "${url}".`, ['api_url'])];
  }
  return [];
}

/**
 * Sym's provider 3.x refuses an implementation that looks like a Python file name (1.x and 2.x
 * took a path there; 3.x takes the contents), so a bare `"impl.py"` is refused the same way.
 */
function checkSourceValue(value: string, attribute: AttributeSpec): { summary: string; detail: string } | undefined {
  if (!attribute.sourceOrPath?.module || !/\.py$/i.test(value.trim()) || /\n/.test(value.trim())) return undefined;
  return {
    summary: 'Implementation values must be file contents, not file paths',
    detail: `"${value}" looks like a Python file name. Use file("${value.trim()}") to give its contents instead (Sym's provider 3.x refuses the path too).`,
  };
}

// Sandboxed modules (hooks, strategies) are checked with the sandbox's own rules before any API call.
function checkSource(source: string, attribute: AttributeSpec, filename?: string): SourceProblem[] {
  const kind = attribute.sourceOrPath?.module;
  return kind ? checkImplementation(source, kind, filename) : [];
}

/**
 * Python at plan time: the provider has no Python parser (validate ran the light scan), so the
 * control plane's CPython parses the module and its syntax errors come back with their lines.
 * JavaScript was parsed in full at validate. A failing call throws, and the framework plans on.
 */
async function checkSourceAtPlan(api: ConnectedApi, source: string, attribute: AttributeSpec, filename?: string): Promise<SourceProblem[]> {
  const kind = attribute.sourceOrPath?.module;
  if (!kind || !api.checkImplementation || implementationLanguage(source, filename) !== 'python') return [];
  const { problems } = await api.checkImplementation({ source, kind, ...(filename !== undefined && { filename }) });
  return problems.map((p) => ({ line: p.line, message: p.message }));
}

/** The checked client: token present, whoami answered for the right org. */
async function connectChecked(settings: ProviderSettings, connect: (s: { baseUrl: string; token: string }) => ConnectedApi): Promise<ConnectedApi> {
  if (!settings.token) {
    throw new DiagnosticsError([
      errorDiagnostic(
        'Missing API token',
        `Set "token" in the provider block, or the ${settings.tokenSource} environment variable` +
          (settings.tokenSource === 'SYM_JWT' ? ' (or name another variable with jwt_env_var).' : ' named by jwt_env_var.'),
      ),
    ]);
  }
  const api = connect({ baseUrl: settings.apiUrl, token: settings.token });
  let who;
  try {
    who = await api.whoami();
  } catch (e) {
    if (e instanceof ApiUnreachableError) {
      throw new DiagnosticsError([errorDiagnostic('Cannot reach the OpenSym control plane', `${e.message}. Check api_url (or SYM_API_URL) and that the control plane is running.`)]);
    }
    if (e instanceof ApiError && e.status === 401) {
      throw new DiagnosticsError([
        errorDiagnostic('Invalid API token', `The control plane at ${settings.apiUrl} rejected the token (401). Check "token" or the ${settings.tokenSource} environment variable.`),
      ]);
    }
    throw e;
  }
  if (settings.checkOrg && settings.org && who?.org?.slug && settings.org.toLowerCase() !== who.org.slug.toLowerCase()) {
    throw new DiagnosticsError([
      errorDiagnostic(
        'Organization mismatch',
        `The provider is configured for org "${settings.org}", but the token in the provider block belongs to org "${who.org.slug}". Use a token of "${settings.org}" or fix "org" (or SYM_ORG).`,
        ['org'],
      ),
    ]);
  }
  return api;
}
