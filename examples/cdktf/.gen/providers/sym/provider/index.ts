// https://opensym.dev/providers/opensym/sym/latest/docs
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface SymProviderConfig {
  /**
  * Base URL of the control plane; a trailing `/api/v1`, as Sym's provider takes it, is accepted. Falls back to the SYM_API_URL environment variable, then to http://127.0.0.1:8080.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs#api_url SymProvider#api_url}
  */
  readonly apiUrl?: string;
  /**
  * Name of the environment variable holding the API token, used instead of SYM_JWT.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs#jwt_env_var SymProvider#jwt_env_var}
  */
  readonly jwtEnvVar?: string;
  /**
  * Organization slug. Falls back to the SYM_ORG environment variable. When the token is set in the provider block, it must match the token's organization; as in Sym's provider, a token from SYM_JWT (or jwt_env_var) is not checked, nor any when SYM_TF_SKIP_VALIDATION is set.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs#org SymProvider#org}
  */
  readonly org?: string;
  /**
  * API token. Falls back to the environment variable named by jwt_env_var, then to SYM_JWT.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs#token SymProvider#token}
  */
  readonly token?: string;
  /**
  * Alias name
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs#alias SymProvider#alias}
  */
  readonly alias?: string;
}

/**
* Represents a {@link https://opensym.dev/providers/opensym/sym/latest/docs sym}
*/
export class SymProvider extends cdktf.TerraformProvider {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "sym";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a SymProvider resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the SymProvider to import
  * @param importFromId The id of the existing SymProvider that should be imported. Refer to the {@link https://opensym.dev/providers/opensym/sym/latest/docs#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the SymProvider to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "sym", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://opensym.dev/providers/opensym/sym/latest/docs sym} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options SymProviderConfig = {}
  */
  public constructor(scope: Construct, id: string, config: SymProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'sym',
      terraformGeneratorMetadata: {
        providerName: 'sym'
      },
      terraformProviderSource: 'opensym.dev/opensym/sym'
    });
    this._apiUrl = config.apiUrl;
    this._jwtEnvVar = config.jwtEnvVar;
    this._org = config.org;
    this._token = config.token;
    this._alias = config.alias;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // api_url - computed: false, optional: true, required: false
  private _apiUrl?: string; 
  public get apiUrl() {
    return this._apiUrl;
  }
  public set apiUrl(value: string | undefined) {
    this._apiUrl = value;
  }
  public resetApiUrl() {
    this._apiUrl = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get apiUrlInput() {
    return this._apiUrl;
  }

  // jwt_env_var - computed: false, optional: true, required: false
  private _jwtEnvVar?: string; 
  public get jwtEnvVar() {
    return this._jwtEnvVar;
  }
  public set jwtEnvVar(value: string | undefined) {
    this._jwtEnvVar = value;
  }
  public resetJwtEnvVar() {
    this._jwtEnvVar = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get jwtEnvVarInput() {
    return this._jwtEnvVar;
  }

  // org - computed: false, optional: true, required: false
  private _org?: string; 
  public get org() {
    return this._org;
  }
  public set org(value: string | undefined) {
    this._org = value;
  }
  public resetOrg() {
    this._org = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get orgInput() {
    return this._org;
  }

  // token - computed: false, optional: true, required: false
  private _token?: string; 
  public get token() {
    return this._token;
  }
  public set token(value: string | undefined) {
    this._token = value;
  }
  public resetToken() {
    this._token = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tokenInput() {
    return this._token;
  }

  // alias - computed: false, optional: true, required: false
  private _alias?: string; 
  public get alias() {
    return this._alias;
  }
  public set alias(value: string | undefined) {
    this._alias = value;
  }
  public resetAlias() {
    this._alias = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get aliasInput() {
    return this._alias;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      api_url: cdktf.stringToTerraform(this._apiUrl),
      jwt_env_var: cdktf.stringToTerraform(this._jwtEnvVar),
      org: cdktf.stringToTerraform(this._org),
      token: cdktf.stringToTerraform(this._token),
      alias: cdktf.stringToTerraform(this._alias),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      api_url: {
        value: cdktf.stringToHclTerraform(this._apiUrl),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      jwt_env_var: {
        value: cdktf.stringToHclTerraform(this._jwtEnvVar),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      org: {
        value: cdktf.stringToHclTerraform(this._org),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      token: {
        value: cdktf.stringToHclTerraform(this._token),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      alias: {
        value: cdktf.stringToHclTerraform(this._alias),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
