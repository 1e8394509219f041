// https://opensym.dev/providers/opensym/sym/latest/docs/data-sources/environment
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DataSymEnvironmentConfig extends cdktf.TerraformMetaArguments {
  /**
  * Name of the environment, unique in the organization (case-insensitive). Stored lowercased, as by Sym.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/data-sources/environment#name DataSymEnvironment#name}
  */
  readonly name: string;
}

/**
* Represents a {@link https://opensym.dev/providers/opensym/sym/latest/docs/data-sources/environment sym_environment}
*/
export class DataSymEnvironment extends cdktf.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "sym_environment";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DataSymEnvironment resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataSymEnvironment to import
  * @param importFromId The id of the existing DataSymEnvironment that should be imported. Refer to the {@link https://opensym.dev/providers/opensym/sym/latest/docs/data-sources/environment#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataSymEnvironment to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "sym_environment", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://opensym.dev/providers/opensym/sym/latest/docs/data-sources/environment sym_environment} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataSymEnvironmentConfig
  */
  public constructor(scope: Construct, id: string, config: DataSymEnvironmentConfig) {
    super(scope, id, {
      terraformResourceType: 'sym_environment',
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
    this._name = config.name;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // error_logger_id - computed: true, optional: false, required: false
  public get errorLoggerId() {
    return this.getStringAttribute('error_logger_id');
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // integrations - computed: true, optional: false, required: false
  private _integrations = new cdktf.StringMap(this, "integrations");
  public get integrations() {
    return this._integrations;
  }

  // label - computed: true, optional: false, required: false
  public get label() {
    return this.getStringAttribute('label');
  }

  // log_destination_ids - computed: true, optional: false, required: false
  public get logDestinationIds() {
    return this.getListAttribute('log_destination_ids');
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

  // runtime_id - computed: true, optional: false, required: false
  public get runtimeId() {
    return this.getStringAttribute('runtime_id');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      name: cdktf.stringToTerraform(this._name),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
