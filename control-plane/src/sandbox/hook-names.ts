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

/** The module names a guest may import; anything else is a `forbidden_import`. */
export const ALLOWED_MODULES = ['sym/sdk', 'sym/sdk/strategies', 'sym/sdk/integrations', 'sym/http'] as const;
