// https://opensym.dev/providers/opensym/sym/latest/docs/resources/secrets
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface SecretsConfig extends cdktf.TerraformMetaArguments {
  /**
  * Display name of the secret source, shown to requesters and approvers.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/secrets#label Secrets#label}
  */
  readonly label?: string;
  /**
  * Name of the secret source, unique per organization and type (case-insensitive). Stored lowercased, as by Sym.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/secrets#name Secrets#name}
  */
  readonly name: string;
  /**
  * Type-specific settings, for example `region` (default: the control plane's `AWS_REGION`) or `context_id` (a `permission_context` integration) for AWS Secrets Manager.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/secrets#settings Secrets#settings}
  */
  readonly settings?: { [key: string]: string };
  /**
  * Where secrets are stored.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/secrets#type Secrets#type}
  */
  readonly type: string;
}

/**
* Represents a {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/secrets sym_secrets}
*/
export class Secrets extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "sym_secrets";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a Secrets resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Secrets to import
  * @param importFromId The id of the existing Secrets that should be imported. Refer to the {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/secrets#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Secrets to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "sym_secrets", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/secrets sym_secrets} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options SecretsConfig
  */
  public constructor(scope: Construct, id: string, config: SecretsConfig) {
    super(scope, id, {
      terraformResourceType: 'sym_secrets',
      terraformGeneratorMetadata: {
        providerName: 'sym'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._label = config.label;
    this._name = config.name;
    this._settings = config.settings;
    this._type = config.type;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // label - computed: true, optional: true, required: false
  private _label?: string; 
  public get label() {
    return this.getStringAttribute('label');
  }
  public set label(value: string) {
    this._label = value;
  }
  public resetLabel() {
    this._label = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get labelInput() {
    return this._label;
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // settings - computed: true, optional: true, required: false
  private _settings?: { [key: string]: string }; 
  public get settings() {
    return this.getStringMapAttribute('settings');
  }
  public set settings(value: { [key: string]: string }) {
    this._settings = value;
  }
  public resetSettings() {
    this._settings = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get settingsInput() {
    return this._settings;
  }

  // type - computed: false, optional: false, required: true
  private _type?: string; 
  public get type() {
    return this.getStringAttribute('type');
  }
  public set type(value: string) {
    this._type = value;
  }
  // Temporarily expose input value. Use with caution.
  public get typeInput() {
    return this._type;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      label: cdktf.stringToTerraform(this._label),
      name: cdktf.stringToTerraform(this._name),
      settings: cdktf.hashMapper(cdktf.stringToTerraform)(this._settings),
      type: cdktf.stringToTerraform(this._type),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      label: {
        value: cdktf.stringToHclTerraform(this._label),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      settings: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._settings),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      type: {
        value: cdktf.stringToHclTerraform(this._type),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
