/**
 * What a sandboxed implementation may import and export. Shared by the control plane's sandbox
 * (which enforces it when code runs and when it is stored) and the provider (which reports it at
 * `validate`/`plan`, before anything reaches the API). Pure data: safe to load in a worker thread.
 */

/** The module names an implementation may import: the SDK and the HTTP client, nothing else. */
export const ALLOWED_MODULES = ['sym/sdk', 'sym/sdk/strategies', 'sym/sdk/integrations', 'sym/http'] as const;

/** Every name a flow implementation may export: Sym's hooks and reducers. */
export const HOOK_NAMES = [
  'on_request',
  'after_request',
  'on_approve',
  'after_approve',
  'on_deny',
  'after_deny',
  'on_escalate',
  'after_escalate',
  'on_deescalate',
  'after_deescalate',
  'get_approvers',
  'get_approver',
  'get_permissions',
  'get_request_notifications',
  'get_identity',
] as const;

/** A hook or reducer name from {@link HOOK_NAMES}. */
export type HookName = (typeof HOOK_NAMES)[number];

/** The names a flows filter may export (Sym's `get_flows(user, flows)`). */
export const FLOWS_FILTER_HOOK_NAMES = ['get_flows'] as const;

/** What an implementation attribute holds, which decides the rules it is checked against. */
export type ImplementationKind = 'flow' | 'flows-filter' | 'strategy';

/**
 * The names a module of `kind` may export, or undefined when any name is allowed (a strategy
 * module exports its `AccessStrategy` subclass under a name of the author's choosing).
 */
export function allowedExportNames(kind: ImplementationKind): readonly string[] | undefined {
  if (kind === 'flow') return HOOK_NAMES;
  if (kind === 'flows-filter') return FLOWS_FILTER_HOOK_NAMES;
  return undefined;
}
