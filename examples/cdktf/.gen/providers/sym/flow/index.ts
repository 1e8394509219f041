// https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface FlowConfig extends cdktf.TerraformMetaArguments {
  /**
  * ID of the `sym_environment` the flow runs in.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#environment_id Flow#environment_id}
  */
  readonly environmentId: string;
  /**
  * JavaScript module exporting the hooks (`on_request`, `get_approvers`, ...), or a path to a file holding it.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#implementation Flow#implementation}
  */
  readonly implementation: string;
  /**
  * Display name of the flow, shown to requesters and approvers.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#label Flow#label}
  */
  readonly label?: string;
  /**
  * Name of the flow, unique in the organization (case-insensitive). Stored lowercased, as by Sym.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#name Flow#name}
  */
  readonly name: string;
  /**
  * String variables made available to the hook implementation.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#vars Flow#vars}
  */
  readonly vars?: { [key: string]: string };
  /**
  * params block
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#params Flow#params}
  */
  readonly params?: FlowParams;
}
export interface FlowParamsPromptField {
  /**
  * Values the requester may choose from, shown as a menu.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#allowed_values Flow#allowed_values}
  */
  readonly allowedValues?: string[];
  /**
  * Value pre-filled on the form, written as a string.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#default Flow#default}
  */
  readonly default?: string;
  /**
  * Label shown on the form; defaults to the field name.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#label Flow#label}
  */
  readonly label?: string;
  /**
  * Field name, used as the key in `request.fields` inside hooks.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#name Flow#name}
  */
  readonly name: string;
  /**
  * Name of the hook called when the field value changes.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#on_change Flow#on_change}
  */
  readonly onChange?: string;
  /**
  * Whether the allowed values are fetched by the `prefetch` hook when the form opens.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#prefetch Flow#prefetch}
  */
  readonly prefetch?: boolean | cdktf.IResolvable;
  /**
  * Whether the requester must fill the field.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#required Flow#required}
  */
  readonly required?: boolean | cdktf.IResolvable;
  /**
  * Value type of the field.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#type Flow#type}
  */
  readonly type: string;
  /**
  * Whether the field is shown; hidden fields are filled by hooks or defaults.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#visible Flow#visible}
  */
  readonly visible?: boolean | cdktf.IResolvable;
}

export function flowParamsPromptFieldToTerraform(struct?: FlowParamsPromptField | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    allowed_values: cdktf.listMapper(cdktf.stringToTerraform, false)(struct!.allowedValues),
    default: cdktf.stringToTerraform(struct!.default),
    label: cdktf.stringToTerraform(struct!.label),
    name: cdktf.stringToTerraform(struct!.name),
    on_change: cdktf.stringToTerraform(struct!.onChange),
    prefetch: cdktf.booleanToTerraform(struct!.prefetch),
    required: cdktf.booleanToTerraform(struct!.required),
    type: cdktf.stringToTerraform(struct!.type),
    visible: cdktf.booleanToTerraform(struct!.visible),
  }
}


export function flowParamsPromptFieldToHclTerraform(struct?: FlowParamsPromptField | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    allowed_values: {
      value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(struct!.allowedValues),
      isBlock: false,
      type: "list",
      storageClassType: "stringList",
    },
    default: {
      value: cdktf.stringToHclTerraform(struct!.default),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    label: {
      value: cdktf.stringToHclTerraform(struct!.label),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    name: {
      value: cdktf.stringToHclTerraform(struct!.name),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    on_change: {
      value: cdktf.stringToHclTerraform(struct!.onChange),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    prefetch: {
      value: cdktf.booleanToHclTerraform(struct!.prefetch),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    required: {
      value: cdktf.booleanToHclTerraform(struct!.required),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    type: {
      value: cdktf.stringToHclTerraform(struct!.type),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    visible: {
      value: cdktf.booleanToHclTerraform(struct!.visible),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class FlowParamsPromptFieldOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): FlowParamsPromptField | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._allowedValues !== undefined) {
      hasAnyValues = true;
      internalValueResult.allowedValues = this._allowedValues;
    }
    if (this._default !== undefined) {
      hasAnyValues = true;
      internalValueResult.default = this._default;
    }
    if (this._label !== undefined) {
      hasAnyValues = true;
      internalValueResult.label = this._label;
    }
    if (this._name !== undefined) {
      hasAnyValues = true;
      internalValueResult.name = this._name;
    }
    if (this._onChange !== undefined) {
      hasAnyValues = true;
      internalValueResult.onChange = this._onChange;
    }
    if (this._prefetch !== undefined) {
      hasAnyValues = true;
      internalValueResult.prefetch = this._prefetch;
    }
    if (this._required !== undefined) {
      hasAnyValues = true;
      internalValueResult.required = this._required;
    }
    if (this._type !== undefined) {
      hasAnyValues = true;
      internalValueResult.type = this._type;
    }
    if (this._visible !== undefined) {
      hasAnyValues = true;
      internalValueResult.visible = this._visible;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: FlowParamsPromptField | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._allowedValues = undefined;
      this._default = undefined;
      this._label = undefined;
      this._name = undefined;
      this._onChange = undefined;
      this._prefetch = undefined;
      this._required = undefined;
      this._type = undefined;
      this._visible = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._allowedValues = value.allowedValues;
      this._default = value.default;
      this._label = value.label;
      this._name = value.name;
      this._onChange = value.onChange;
      this._prefetch = value.prefetch;
      this._required = value.required;
      this._type = value.type;
      this._visible = value.visible;
    }
  }

  // allowed_values - computed: true, optional: true, required: false
  private _allowedValues?: string[]; 
  public get allowedValues() {
    return this.getListAttribute('allowed_values');
  }
  public set allowedValues(value: string[]) {
    this._allowedValues = value;
  }
  public resetAllowedValues() {
    this._allowedValues = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowedValuesInput() {
    return this._allowedValues;
  }

  // default - computed: true, optional: true, required: false
  private _default?: string; 
  public get default() {
    return this.getStringAttribute('default');
  }
  public set default(value: string) {
    this._default = value;
  }
  public resetDefault() {
    this._default = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get defaultInput() {
    return this._default;
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

  // on_change - computed: true, optional: true, required: false
  private _onChange?: string; 
  public get onChange() {
    return this.getStringAttribute('on_change');
  }
  public set onChange(value: string) {
    this._onChange = value;
  }
  public resetOnChange() {
    this._onChange = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get onChangeInput() {
    return this._onChange;
  }

  // prefetch - computed: true, optional: true, required: false
  private _prefetch?: boolean | cdktf.IResolvable; 
  public get prefetch() {
    return this.getBooleanAttribute('prefetch');
  }
  public set prefetch(value: boolean | cdktf.IResolvable) {
    this._prefetch = value;
  }
  public resetPrefetch() {
    this._prefetch = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get prefetchInput() {
    return this._prefetch;
  }

  // required - computed: true, optional: true, required: false
  private _required?: boolean | cdktf.IResolvable; 
  public get required() {
    return this.getBooleanAttribute('required');
  }
  public set required(value: boolean | cdktf.IResolvable) {
    this._required = value;
  }
  public resetRequired() {
    this._required = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get requiredInput() {
    return this._required;
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

  // visible - computed: true, optional: true, required: false
  private _visible?: boolean | cdktf.IResolvable; 
  public get visible() {
    return this.getBooleanAttribute('visible');
  }
  public set visible(value: boolean | cdktf.IResolvable) {
    this._visible = value;
  }
  public resetVisible() {
    this._visible = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get visibleInput() {
    return this._visible;
  }
}

export class FlowParamsPromptFieldList extends cdktf.ComplexList {
  public internalValue? : FlowParamsPromptField[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): FlowParamsPromptFieldOutputReference {
    return new FlowParamsPromptFieldOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface FlowParams {
  /**
  * Slack markdown shown at the top of the request form.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#additional_header_text Flow#additional_header_text}
  */
  readonly additionalHeaderText?: string;
  /**
  * Whether Slack guest users may request and approve.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#allow_guest_interaction Flow#allow_guest_interaction}
  */
  readonly allowGuestInteraction?: boolean | cdktf.IResolvable;
  /**
  * Whether approvers may revoke granted access before it expires.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#allow_revoke Flow#allow_revoke}
  */
  readonly allowRevoke?: boolean | cdktf.IResolvable;
  /**
  * Where requests may be made from. Null allows every source; an empty list allows none.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#allowed_sources Flow#allowed_sources}
  */
  readonly allowedSources?: string[];
  /**
  * ID of a `sym_form` whose fields are the request fields when no `prompt_field` block is given.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#form_id Flow#form_id}
  */
  readonly formId?: string;
  /**
  * Whether approvers are asked for a message explaining their decision.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#include_decision_message Flow#include_decision_message}
  */
  readonly includeDecisionMessage?: boolean | cdktf.IResolvable;
  /**
  * Whether access is revoked automatically when the requested duration ends.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#schedule_deescalation Flow#schedule_deescalation}
  */
  readonly scheduleDeescalation?: boolean | cdktf.IResolvable;
  /**
  * ID of the strategy that grants the access. Leave it out for an approval-only flow.
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#strategy_id Flow#strategy_id}
  */
  readonly strategyId?: string;
  /**
  * prompt_field block
  *
  * Docs at Terraform Registry: {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#prompt_field Flow#prompt_field}
  */
  readonly promptField?: FlowParamsPromptField[] | cdktf.IResolvable;
}

export function flowParamsToTerraform(struct?: FlowParamsOutputReference | FlowParams): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    additional_header_text: cdktf.stringToTerraform(struct!.additionalHeaderText),
    allow_guest_interaction: cdktf.booleanToTerraform(struct!.allowGuestInteraction),
    allow_revoke: cdktf.booleanToTerraform(struct!.allowRevoke),
    allowed_sources: cdktf.listMapper(cdktf.stringToTerraform, false)(struct!.allowedSources),
    form_id: cdktf.stringToTerraform(struct!.formId),
    include_decision_message: cdktf.booleanToTerraform(struct!.includeDecisionMessage),
    schedule_deescalation: cdktf.booleanToTerraform(struct!.scheduleDeescalation),
    strategy_id: cdktf.stringToTerraform(struct!.strategyId),
    prompt_field: cdktf.listMapper(flowParamsPromptFieldToTerraform, true)(struct!.promptField),
  }
}


export function flowParamsToHclTerraform(struct?: FlowParamsOutputReference | FlowParams): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    additional_header_text: {
      value: cdktf.stringToHclTerraform(struct!.additionalHeaderText),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    allow_guest_interaction: {
      value: cdktf.booleanToHclTerraform(struct!.allowGuestInteraction),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    allow_revoke: {
      value: cdktf.booleanToHclTerraform(struct!.allowRevoke),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    allowed_sources: {
      value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(struct!.allowedSources),
      isBlock: false,
      type: "list",
      storageClassType: "stringList",
    },
    form_id: {
      value: cdktf.stringToHclTerraform(struct!.formId),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    include_decision_message: {
      value: cdktf.booleanToHclTerraform(struct!.includeDecisionMessage),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    schedule_deescalation: {
      value: cdktf.booleanToHclTerraform(struct!.scheduleDeescalation),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    strategy_id: {
      value: cdktf.stringToHclTerraform(struct!.strategyId),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    prompt_field: {
      value: cdktf.listMapperHcl(flowParamsPromptFieldToHclTerraform, true)(struct!.promptField),
      isBlock: true,
      type: "list",
      storageClassType: "FlowParamsPromptFieldList",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class FlowParamsOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false, 0);
  }

  public get internalValue(): FlowParams | undefined {
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._additionalHeaderText !== undefined) {
      hasAnyValues = true;
      internalValueResult.additionalHeaderText = this._additionalHeaderText;
    }
    if (this._allowGuestInteraction !== undefined) {
      hasAnyValues = true;
      internalValueResult.allowGuestInteraction = this._allowGuestInteraction;
    }
    if (this._allowRevoke !== undefined) {
      hasAnyValues = true;
      internalValueResult.allowRevoke = this._allowRevoke;
    }
    if (this._allowedSources !== undefined) {
      hasAnyValues = true;
      internalValueResult.allowedSources = this._allowedSources;
    }
    if (this._formId !== undefined) {
      hasAnyValues = true;
      internalValueResult.formId = this._formId;
    }
    if (this._includeDecisionMessage !== undefined) {
      hasAnyValues = true;
      internalValueResult.includeDecisionMessage = this._includeDecisionMessage;
    }
    if (this._scheduleDeescalation !== undefined) {
      hasAnyValues = true;
      internalValueResult.scheduleDeescalation = this._scheduleDeescalation;
    }
    if (this._strategyId !== undefined) {
      hasAnyValues = true;
      internalValueResult.strategyId = this._strategyId;
    }
    if (this._promptField?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.promptField = this._promptField?.internalValue;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: FlowParams | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this._additionalHeaderText = undefined;
      this._allowGuestInteraction = undefined;
      this._allowRevoke = undefined;
      this._allowedSources = undefined;
      this._formId = undefined;
      this._includeDecisionMessage = undefined;
      this._scheduleDeescalation = undefined;
      this._strategyId = undefined;
      this._promptField.internalValue = undefined;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this._additionalHeaderText = value.additionalHeaderText;
      this._allowGuestInteraction = value.allowGuestInteraction;
      this._allowRevoke = value.allowRevoke;
      this._allowedSources = value.allowedSources;
      this._formId = value.formId;
      this._includeDecisionMessage = value.includeDecisionMessage;
      this._scheduleDeescalation = value.scheduleDeescalation;
      this._strategyId = value.strategyId;
      this._promptField.internalValue = value.promptField;
    }
  }

  // additional_header_text - computed: true, optional: true, required: false
  private _additionalHeaderText?: string; 
  public get additionalHeaderText() {
    return this.getStringAttribute('additional_header_text');
  }
  public set additionalHeaderText(value: string) {
    this._additionalHeaderText = value;
  }
  public resetAdditionalHeaderText() {
    this._additionalHeaderText = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get additionalHeaderTextInput() {
    return this._additionalHeaderText;
  }

  // allow_guest_interaction - computed: true, optional: true, required: false
  private _allowGuestInteraction?: boolean | cdktf.IResolvable; 
  public get allowGuestInteraction() {
    return this.getBooleanAttribute('allow_guest_interaction');
  }
  public set allowGuestInteraction(value: boolean | cdktf.IResolvable) {
    this._allowGuestInteraction = value;
  }
  public resetAllowGuestInteraction() {
    this._allowGuestInteraction = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowGuestInteractionInput() {
    return this._allowGuestInteraction;
  }

  // allow_revoke - computed: true, optional: true, required: false
  private _allowRevoke?: boolean | cdktf.IResolvable; 
  public get allowRevoke() {
    return this.getBooleanAttribute('allow_revoke');
  }
  public set allowRevoke(value: boolean | cdktf.IResolvable) {
    this._allowRevoke = value;
  }
  public resetAllowRevoke() {
    this._allowRevoke = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowRevokeInput() {
    return this._allowRevoke;
  }

  // allowed_sources - computed: false, optional: true, required: false
  private _allowedSources?: string[]; 
  public get allowedSources() {
    return this.getListAttribute('allowed_sources');
  }
  public set allowedSources(value: string[]) {
    this._allowedSources = value;
  }
  public resetAllowedSources() {
    this._allowedSources = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowedSourcesInput() {
    return this._allowedSources;
  }

  // form_id - computed: true, optional: true, required: false
  private _formId?: string; 
  public get formId() {
    return this.getStringAttribute('form_id');
  }
  public set formId(value: string) {
    this._formId = value;
  }
  public resetFormId() {
    this._formId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get formIdInput() {
    return this._formId;
  }

  // include_decision_message - computed: true, optional: true, required: false
  private _includeDecisionMessage?: boolean | cdktf.IResolvable; 
  public get includeDecisionMessage() {
    return this.getBooleanAttribute('include_decision_message');
  }
  public set includeDecisionMessage(value: boolean | cdktf.IResolvable) {
    this._includeDecisionMessage = value;
  }
  public resetIncludeDecisionMessage() {
    this._includeDecisionMessage = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get includeDecisionMessageInput() {
    return this._includeDecisionMessage;
  }

  // schedule_deescalation - computed: true, optional: true, required: false
  private _scheduleDeescalation?: boolean | cdktf.IResolvable; 
  public get scheduleDeescalation() {
    return this.getBooleanAttribute('schedule_deescalation');
  }
  public set scheduleDeescalation(value: boolean | cdktf.IResolvable) {
    this._scheduleDeescalation = value;
  }
  public resetScheduleDeescalation() {
    this._scheduleDeescalation = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get scheduleDeescalationInput() {
    return this._scheduleDeescalation;
  }

  // strategy_id - computed: true, optional: true, required: false
  private _strategyId?: string; 
  public get strategyId() {
    return this.getStringAttribute('strategy_id');
  }
  public set strategyId(value: string) {
    this._strategyId = value;
  }
  public resetStrategyId() {
    this._strategyId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get strategyIdInput() {
    return this._strategyId;
  }

  // prompt_field - computed: false, optional: true, required: false
  private _promptField = new FlowParamsPromptFieldList(this, "prompt_field", false);
  public get promptField() {
    return this._promptField;
  }
  public putPromptField(value: FlowParamsPromptField[] | cdktf.IResolvable) {
    this._promptField.internalValue = value;
  }
  public resetPromptField() {
    this._promptField.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get promptFieldInput() {
    return this._promptField.internalValue;
  }
}

/**
* Represents a {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow sym_flow}
*/
export class Flow extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "sym_flow";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a Flow resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Flow to import
  * @param importFromId The id of the existing Flow that should be imported. Refer to the {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Flow to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "sym_flow", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://opensym.dev/providers/opensym/sym/latest/docs/resources/flow sym_flow} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options FlowConfig
  */
  public constructor(scope: Construct, id: string, config: FlowConfig) {
    super(scope, id, {
      terraformResourceType: 'sym_flow',
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
    this._environmentId = config.environmentId;
    this._implementation = config.implementation;
    this._label = config.label;
    this._name = config.name;
    this._vars = config.vars;
    this._params.internalValue = config.params;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // environment_id - computed: false, optional: false, required: true
  private _environmentId?: string; 
  public get environmentId() {
    return this.getStringAttribute('environment_id');
  }
  public set environmentId(value: string) {
    this._environmentId = value;
  }
  // Temporarily expose input value. Use with caution.
  public get environmentIdInput() {
    return this._environmentId;
  }

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

  // params - computed: false, optional: true, required: false
  private _params = new FlowParamsOutputReference(this, "params");
  public get params() {
    return this._params;
  }
  public putParams(value: FlowParams) {
    this._params.internalValue = value;
  }
  public resetParams() {
    this._params.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get paramsInput() {
    return this._params.internalValue;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      environment_id: cdktf.stringToTerraform(this._environmentId),
      implementation: cdktf.stringToTerraform(this._implementation),
      label: cdktf.stringToTerraform(this._label),
      name: cdktf.stringToTerraform(this._name),
      vars: cdktf.hashMapper(cdktf.stringToTerraform)(this._vars),
      params: flowParamsToTerraform(this._params.internalValue),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      environment_id: {
        value: cdktf.stringToHclTerraform(this._environmentId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      implementation: {
        value: cdktf.stringToHclTerraform(this._implementation),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
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
      vars: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._vars),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      params: {
        value: flowParamsToHclTerraform(this._params.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "FlowParamsList",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
