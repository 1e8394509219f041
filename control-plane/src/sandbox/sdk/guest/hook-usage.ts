// Type-level only (never loaded into the guest): hook code as Sym's users write it type-checks
// against sym-sdk.d.ts, and misuses do not. Checked by the control plane's `typecheck` script.
import type { Event, JsonValue } from 'sym/sdk';

/** `event.flow.environment.integrations[...]`, as hooks read the environment's integrations. */
export function oktaDomain(event: Event): JsonValue {
  const okta = event.flow.environment.integrations['okta'];
  const name: string | null = event.flow.environment.name;
  const type: string | null = okta.type;
  return [okta.external_id, okta.settings['domain'] ?? null, event.flow.environment.integrations.slack.id, name, type];
}

/** What the types refuse: a mistyped key and a non-string id. */
export function misuses(event: Event): void {
  // @ts-expect-error: integrations sit under `integrations`, not on the environment itself.
  void event.flow.environment.okta;
  // @ts-expect-error: an integration's id is a string.
  const id: number = event.flow.environment.integrations['okta'].id;
  void id;
}
