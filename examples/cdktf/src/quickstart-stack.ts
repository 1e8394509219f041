/** The quickstart (examples/quickstart), as a CDKTF stack over the generated `sym` bindings. */
import { readFileSync } from 'node:fs';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { environment, flow, integration, provider, secret, secrets, strategy, target } from '../.gen/providers/sym';

/** Reads a hook or strategy source from impl/, inlined so that cdk.tf.json is self-contained. */
function implementationSource(name: string): string {
  return readFileSync(new URL(`../impl/${name}`, import.meta.url), 'utf8');
}

/** Environment, Slack integration, custom target and strategy, and a flow with prompt fields. */
export class QuickstartStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    // Relative to the directory `tofu` runs in (the stack's output directory), so state stays
    // out of the source tree; the default would be an absolute path into this package.
    new LocalBackend(this, { path: 'terraform.tfstate' });

    // Empty configuration on purpose: the provider reads SYM_API_URL and SYM_JWT from its
    // environment, so the synthesized JSON carries no URL or secret.
    new provider.SymProvider(this, 'sym');

    // Names carry a `cdktf-` prefix so this stack and the HCL quickstart can share an organization.
    // The Slack bot token and signing secret are read from the control plane's environment.
    const slackEnv = new secrets.Secrets(this, 'slack_env', { type: 'env', name: 'cdktf-quickstart-slack-env' });
    const botToken = new secret.Secret(this, 'slack_bot_token', { path: 'SYM_SECRET_SLACK_BOT_TOKEN', sourceId: slackEnv.id });
    const signingSecret = new secret.Secret(this, 'slack_signing_secret', { path: 'SYM_SECRET_SLACK_SIGNING_SECRET', sourceId: slackEnv.id });
    const slack = new integration.Integration(this, 'slack', {
      type: 'slack',
      name: 'cdktf-quickstart-slack',
      label: 'CDKTF quickstart Slack workspace',
      externalId: 'T0123456789',
      settings: { bot_token_secret: botToken.id, signing_secret_secret: signingSecret.id },
    });

    const env = new environment.Environment(this, 'this', {
      name: 'cdktf-quickstart',
      label: 'CDKTF quickstart',
      integrations: { slack_id: slack.id },
    });

    const staging = new target.Target(this, 'staging', {
      type: 'custom',
      name: 'cdktf-quickstart-staging',
      label: 'Staging',
      settings: { identifier: 'staging' },
    });

    const custom = new strategy.Strategy(this, 'custom', {
      type: 'custom',
      name: 'cdktf-quickstart-access',
      label: 'CDKTF quickstart access',
      targets: [staging.id],
      implementation: implementationSource('custom-strategy.js'),
    });

    const access = new flow.Flow(this, 'access', {
      name: 'cdktf-quickstart-access',
      label: 'CDKTF Quickstart Access',
      implementation: implementationSource('flow.js'),
      environmentId: env.id,
      params: {
        strategyId: custom.id,
        promptField: [
          { name: 'reason', label: 'Why do you need access?', type: 'string', required: true },
          { name: 'duration', label: 'For how long?', type: 'duration', required: false, allowedValues: ['30m', '1h', '1d'] },
        ],
      },
    });

    new TerraformOutput(this, 'flow_id', { value: access.id });
  }
}
