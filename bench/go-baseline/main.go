// A Go baseline provider for the plan benchmark: `random_id` as terraform-provider-random
// implements it (terraform-plugin-framework, protocol 5, no network), for machines where the
// real terraform-provider-random cannot be built. Only what the benchmark exercises is here.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"log"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	providerschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type randomProvider struct{}

func (p *randomProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "random"
	resp.Version = "0.1.0"
}

func (p *randomProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	// Empty: like terraform-provider-random, the baseline takes no configuration.
	resp.Schema = providerschema.Schema{}
}

func (p *randomProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *randomProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &idResource{} }}
}

func (p *randomProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type idModel struct {
	ID         types.String `tfsdk:"id"`
	Keepers    types.Map    `tfsdk:"keepers"`
	ByteLength types.Int64  `tfsdk:"byte_length"`
	Prefix     types.String `tfsdk:"prefix"`
	B64URL     types.String `tfsdk:"b64_url"`
	B64Std     types.String `tfsdk:"b64_std"`
	Hex        types.String `tfsdk:"hex"`
	Dec        types.String `tfsdk:"dec"`
}

type idResource struct{}

func (r *idResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_id"
}

func (r *idResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"keepers": schema.MapAttribute{
				ElementType: types.StringType, Optional: true,
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"byte_length": schema.Int64Attribute{
				Required:      true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"prefix": schema.StringAttribute{
				Optional:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"id":      schema.StringAttribute{Computed: true, PlanModifiers: keep},
			"b64_url": schema.StringAttribute{Computed: true, PlanModifiers: keep},
			"b64_std": schema.StringAttribute{Computed: true, PlanModifiers: keep},
			"hex":     schema.StringAttribute{Computed: true, PlanModifiers: keep},
			"dec":     schema.StringAttribute{Computed: true, PlanModifiers: keep},
		},
	}
}

func (r *idResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan idModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	bytes := make([]byte, plan.ByteLength.ValueInt64())
	if _, err := rand.Read(bytes); err != nil {
		resp.Diagnostics.AddError("random_id", err.Error())
		return
	}
	prefix := plan.Prefix.ValueString()
	b64url := base64.RawURLEncoding.EncodeToString(bytes)
	plan.ID = types.StringValue(b64url)
	plan.B64URL = types.StringValue(prefix + b64url)
	plan.B64Std = types.StringValue(prefix + base64.StdEncoding.EncodeToString(bytes))
	plan.Hex = types.StringValue(prefix + hex.EncodeToString(bytes))
	plan.Dec = types.StringValue(prefix + new(big.Int).SetBytes(bytes).String())
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Read keeps the state as it is: random values live only in state, as in terraform-provider-random.
func (r *idResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state idModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Update is unreachable (every argument requires replacement) but the interface needs it.
func (r *idResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan idModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *idResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return &randomProvider{} }, providerserver.ServeOpts{
		Address:         "registry.opentofu.org/hashicorp/random",
		ProtocolVersion: 5,
	})
	if err != nil {
		log.Fatal(err)
	}
}
