// The rules live in @opensym/schemas so the provider reports the same problems at plan time.
// The subpath keeps worker threads from loading every resource spec.
export { ALLOWED_MODULES, FLOWS_FILTER_HOOK_NAMES, HOOK_NAMES, allowedExportNames, type HookName, type ImplementationKind } from '@opensym/schemas/implementation-rules';
