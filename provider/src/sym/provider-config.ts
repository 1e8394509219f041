/** The provider block resolved against the environment: api_url, org, token. */
import { isObject } from '../framework/object-spec';
import { isUnknown, type TfValue } from '../protocol/values';

/** Default control-plane address when neither `api_url` nor SYM_API_URL is set. */
export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

/** Resolved provider settings. `deferred` means the config had unknowns, so checks wait for first use. */
export interface ProviderSettings {
  apiUrl: string;
  org: string | undefined;
  token: string | undefined;
  /** The environment variable the token was expected in, for messages. */
  tokenSource: string;
  /**
   * Whether `org` is compared with the token's organization. As in Sym's provider, only a token
   * written in the provider block is checked: a token from SYM_JWT (or jwt_env_var) is trusted as
   * it is, and SYM_TF_SKIP_VALIDATION turns the check off.
   */
  checkOrg: boolean;
  deferred: boolean;
}

/** Resolves config values, falling back to environment variables and defaults. */
export function resolveProviderSettings(config: TfValue, env: NodeJS.ProcessEnv): ProviderSettings {
  const cfg = isObject(config) ? config : {};
  let deferred = false;
  const str = (name: string): string | undefined => {
    const v = cfg[name];
    if (isUnknown(v)) {
      deferred = true;
      return undefined;
    }
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const nonEmpty = (v: string | undefined) => (v && v.trim() !== '' ? v : undefined);
  const apiUrl = str('api_url') ?? nonEmpty(env.SYM_API_URL) ?? DEFAULT_API_URL;
  const org = str('org') ?? nonEmpty(env.SYM_ORG);
  const jwtEnvVar = str('jwt_env_var');
  const tokenSource = jwtEnvVar ?? 'SYM_JWT';
  const blockToken = str('token');
  const token = blockToken ?? nonEmpty(env[tokenSource]);
  const checkOrg = blockToken !== undefined && !nonEmpty(env.SYM_TF_SKIP_VALIDATION);
  return { apiUrl, org, token, tokenSource, checkOrg, deferred };
}
