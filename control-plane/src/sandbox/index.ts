// Public API of the sandbox: run user hooks and custom strategies in QuickJS, check them at plan time.
export { type CheckSourceOptions, type HookResult, type RunHookOptions, type Sandbox, type SandboxOptions, type SandboxStats, createSandbox } from './create-sandbox';
export { EGRESS_ALLOW_SETTING, type EgressOptions } from './egress-policy';
export { SandboxError, type GuestLocation, type SandboxErrorCode } from './sandbox-error';
export { HostCallError } from './host-dispatcher';
export { DEFAULT_LIMITS, type SandboxLimits } from './sandbox-limits';
export { ALLOWED_MODULES, HOOK_NAMES, type HookName } from './hook-names';
export type { JsonValue, SandboxCall, SandboxIntegration, SandboxSecretRef, SymEvent, SymUser } from './sandbox-call';
export type { IdentityCacheHost, PagerDutyHost, SandboxHost, SandboxLogLine, SlackHost } from './sandbox-host';
export type { SourceProblem } from './source-problems';
export type { DirectoryHost, GitHubDirectoryHost, GoogleDirectoryHost, OktaDirectoryHost } from './directory-host';
export type { AwsHost } from './aws-host';
