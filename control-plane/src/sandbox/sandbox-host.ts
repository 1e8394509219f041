import type { DirectoryHost } from './directory-host';
import type { AwsHost } from './aws-host';
import type { JsonValue, SandboxIntegration, SandboxSecretRef, SymUser } from './sandbox-call';

/** PagerDuty lookups behind `pagerduty.on_call` / `pagerduty.is_on_call` (the Slack issue wires the real client). */
export interface PagerDutyHost {
  onCall(query: { schedule?: string; escalation_policy?: string }): Promise<SymUser[]> | SymUser[];
  isOnCall(user: SymUser, query: { schedule?: string; escalation_policy?: string }): Promise<boolean> | boolean;
}

/** Slack behind `slack.send_message` (the flow's workspace). */
export interface SlackHost {
  sendMessage(destination: JsonValue, text: string): Promise<void>;
}

/** Remote identities cached per user and integration, shared across invocations. */
export interface IdentityCacheHost {
  get(userId: string, integrationId: string): Promise<JsonValue | undefined> | JsonValue | undefined;
  set(userId: string, integrationId: string, identity: JsonValue): Promise<void> | void;
}

/** One line a guest wrote with `console.*`, with known secret values redacted. */
export interface SandboxLogLine {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  message: string;
}

/** The doors out of the sandbox, provided per invocation; a missing door answers `host_denied`. */
export interface SandboxHost {
  /** Reads a secret's value; every value read is redacted from errors and logs. */
  retrieveSecret?(secret: SandboxSecretRef, integration: SandboxIntegration): Promise<string> | string;
  pagerduty?: PagerDutyHost;
  slack?: SlackHost;
  identityCache?: IdentityCacheHost;
  /** Okta, Google and GitHub lookups behind `okta.*`, `google.*`, `github.*` (directory-host.ts). */
  directory?: DirectoryHost;
  /** AWS behind `aws_sso`, `aws_iam` and `aws_lambda` (the environment's runtime role). */
  aws?: AwsHost;
  /** Hosts `sym/http` may reach: `api.example.com`, `*.example.com` or `127.0.0.1:8080`. */
  allowedHosts?: readonly string[];
  /** Receives each (redacted) console line as it is written. */
  onLog?(line: SandboxLogLine): void;
  /** Told the name of each host call (`http`, `secret`, ...) before it runs, so a caller knows what the guest reached for. */
  onHostCall?(op: string): void;
}
