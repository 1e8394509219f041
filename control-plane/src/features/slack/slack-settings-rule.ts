/**
 * The API's rule on a `slack` integration's credentials: it names both `bot_token_secret` and
 * `signing_secret_secret` (its own app), or neither (a Sym config: the operator's app, which this
 * control plane must then have). A configuration that could never reach Slack is a 422 at
 * `/settings`, not a failure at the first `/sym`. It depends on the deployment, so it is not a
 * plan-time rule of the schema.
 */
import type { EntityRule } from '../entities/entity-service';
import { operatorAppUsable, type OperatorSlackApp } from '../../integrations/slack/operator-slack-app';
import { BOT_TOKEN_SETTING, SIGNING_SECRET_SETTING, usesOperatorApp } from '../../integrations/slack/slack-workspaces';

/** The rule for a control plane with `operatorApp` (its own Slack app, possibly none). */
export function slackSettingsRule(operatorApp: OperatorSlackApp): EntityRule {
  return (spec, data) => {
    if (spec.kind !== 'integrations' || data.type !== 'slack') return [];
    const settings = data.settings;
    const named = (key: string) =>
      typeof settings === 'object' && settings !== null && typeof (settings as Record<string, unknown>)[key] === 'string' && (settings as Record<string, string>)[key] !== '';
    if (usesOperatorApp(settings)) {
      if (operatorAppUsable(operatorApp)) return [];
      return [
        {
          pointer: '/settings',
          detail:
            "names no `bot_token_secret` and `signing_secret_secret`, and this control plane has no Slack app of its own (SYM_SLACK_BOT_TOKEN and SYM_SLACK_SIGNING_SECRET): name the `sym_secret`s holding your app's bot token and signing secret, or ask the operator to configure the app.",
        },
      ];
    }
    if (named(BOT_TOKEN_SETTING) && named(SIGNING_SECRET_SETTING)) return [];
    return [{ pointer: '/settings', detail: "names only one of `bot_token_secret` and `signing_secret_secret`: name both (your own Slack app) or neither (the control plane's app)." }];
  };
}
