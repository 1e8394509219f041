// https://opensym.dev/providers/opensym/sym/latest/docs/resources/flows_filter
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface FlowsFilterConfig extends cdktf.TerraformMetaArguments {
  /**
  * JavaScript module exporting `get_flows(user, flows, flow_vars)` (or Python defining it, as Sym does), or a path to a file holding it.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flows_filter#implementation FlowsFilter#implementation}
  */
  readonly implementation: string;
  /**
  * Integrations available to the filter, keyed by role such as `slack_id`; values are `sym_integration` IDs.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flows_filter#integrations FlowsFilter#integrations}
  */
  readonly integrations?: { [key: string]: string };
  /**
  * String variables made available to the filter implementation.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flows_filter#vars FlowsFilter#vars}
  */
  readonly vars?: { [key: string]: string };
}

/**
* Represents a {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flows_filter sym_flows_filter}
*/
export class FlowsFilter extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "sym_flows_filter";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a FlowsFilter resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the FlowsFilter to import
  * @param importFromId The id of the existing FlowsFilter that should be imported. Refer to the {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flows_filter#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the FlowsFilter to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "sym_flows_filter", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flows_filter sym_flows_filter} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options FlowsFilterConfig
  */
  public constructor(scope: Construct, id: string, config: FlowsFilterConfig) {
    super(scope, id, {
      terraformResourceType: 'sym_flows_filter',
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
    this._implementation = config.implementation;
    this._integrations = config.integrations;
    this._vars = config.vars;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // implementation - computed: false, optional: false, required: true
  private _implementation?: string; 
  public get implementation() {
    return this.getStringAttribute('implementation');
  }
  public set implementation(value: string) {
    this._implementation = value;
  }
  // Temporarily expose input value. Use with caution.
  public get implementationInput() {
    return this._implementation;
  }

  // implementation_hash - computed: true, optional: false, required: false
  public get implementationHash() {
    return this.getStringAttribute('implementation_hash');
  }

  // integrations - computed: true, optional: true, required: false
  private _integrations?: { [key: string]: string }; 
  public get integrations() {
    return this.getStringMapAttribute('integrations');
  }
  public set integrations(value: { [key: string]: string }) {
    this._integrations = value;
  }
  public resetIntegrations() {
    this._integrations = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get integrationsInput() {
    return this._integrations;
  }

  // vars - computed: true, optional: true, required: false
  private _vars?: { [key: string]: string }; 
  public get vars() {
    return this.getStringMapAttribute('vars');
  }
  public set vars(value: { [key: string]: string }) {
    this._vars = value;
  }
  public resetVars() {
    this._vars = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get varsInput() {
    return this._vars;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      implementation: cdktf.stringToTerraform(this._implementation),
      integrations: cdktf.hashMapper(cdktf.stringToTerraform)(this._integrations),
      vars: cdktf.hashMapper(cdktf.stringToTerraform)(this._vars),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      implementation: {
        value: cdktf.stringToHclTerraform(this._implementation),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      integrations: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._integrations),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      vars: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._vars),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
