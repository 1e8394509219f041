/**
 * The operator's own Slack app: credentials given to the control plane itself
 * (`SYM_SLACK_BOT_TOKEN`, `SYM_SLACK_SIGNING_SECRET`, `SYM_SLACK_APP_TOKEN`), used by a `slack`
 * integration that names no token secrets, as Sym's do (Sym hosts the app, so a Sym config names
 * only the workspace). The values are secrets: kept in memory, never logged.
 */

/** Credentials of the operator's Slack app; a token-less integration needs the bot token and the signing secret. */
export interface OperatorSlackApp {
  botToken?: string;
  signingSecret?: string;
  /** Set: token-less integrations receive Slack over Socket Mode. */
  appToken?: string;
}

/** Reads the operator's app from the environment (blank values count as unset). */
export function operatorSlackAppFromEnv(env: NodeJS.ProcessEnv = process.env): OperatorSlackApp {
  const read = (name: string) => env[name]?.trim() || undefined;
  const botToken = read('SYM_SLACK_BOT_TOKEN');
  const signingSecret = read('SYM_SLACK_SIGNING_SECRET');
  const appToken = read('SYM_SLACK_APP_TOKEN');
  return { ...(botToken && { botToken }), ...(signingSecret && { signingSecret }), ...(appToken && { appToken }) };
}

/** Whether token-less `slack` integrations can work: the operator gave a bot token and a signing secret. */
export function operatorAppUsable(app: OperatorSlackApp | undefined): boolean {
  return Boolean(app?.botToken && app.signingSecret);
}
