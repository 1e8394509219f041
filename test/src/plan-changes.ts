/** Reads `show -json` output: the actions a saved plan will take and the resources a state holds. */

/** The part of a `show -json <planfile>` document the assertions use. */
interface PlanJson {
  resource_changes?: {
    address: string;
    mode: 'managed' | 'data';
    type: string;
    change: {
      actions: string[];
      before?: Record<string, unknown> | null;
      after?: Record<string, unknown> | null;
      after_unknown?: Record<string, unknown>;
      importing?: { id?: string } | null;
    };
  }[];
}

/** The part of a `show -json` (state) document the import step uses. */
interface StateJson {
  values?: { root_module?: StateModule };
}
interface StateModule {
  resources?: StateResource[];
  child_modules?: StateModule[];
}

/** One managed or data resource instance in state. */
export interface StateResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  values: Record<string, unknown>;
}

/**
 * Managed resources the plan changes, as `address → action`: `create`, `update`, `delete`,
 * `delete-create` (replace) or `create-delete` (replace with create_before_destroy). No-ops and
 * data source reads are left out, so `{}` means "nothing to do".
 */
export function planChanges(showJson: string): Record<string, string> {
  const plan = JSON.parse(showJson) as PlanJson;
  const changes: Record<string, string> = {};
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed') continue;
    const actions = rc.change.actions.filter((a) => a !== 'no-op' && a !== 'read');
    if (actions.length > 0) changes[rc.address] = actions.join('-');
  }
  return changes;
}

/** Addresses the plan imports (`import {}` blocks), with the id each one is imported by. */
export function planImports(showJson: string): Record<string, string> {
  const plan = JSON.parse(showJson) as PlanJson;
  const imports: Record<string, string> = {};
  for (const rc of plan.resource_changes ?? []) {
    if (rc.change.importing) imports[rc.address] = rc.change.importing.id ?? '';
  }
  return imports;
}

/** Top-level attributes an update of `address` changes (different, or unknown after apply), sorted. */
export function changedAttributes(showJson: string, address: string): string[] {
  const plan = JSON.parse(showJson) as PlanJson;
  const rc = plan.resource_changes?.find((r) => r.address === address);
  if (rc === undefined) throw new Error(`${address} is not in the plan`);
  const before = rc.change.before ?? {};
  const after = rc.change.after ?? {};
  const unknown = rc.change.after_unknown ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...keys].filter((k) => unknown[k] === true || JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

/** Every managed resource instance in a `show -json` state document, modules included. */
export function stateResources(showJson: string): StateResource[] {
  const state = JSON.parse(showJson) as StateJson;
  const found: StateResource[] = [];
  const walk = (module: StateModule | undefined): void => {
    if (module === undefined) return;
    for (const resource of module.resources ?? []) if (resource.mode === 'managed') found.push(resource);
    for (const child of module.child_modules ?? []) walk(child);
  };
  walk(state.values?.root_module);
  return found;
}
