/** Test fixture: a provider definition whose configure step hands out fixed provider data. */
import type { ProviderDefinition } from './provider';

/** A provider that is always configured, with `data` as its ProviderData; `extra` overrides hooks. */
export function fixedProvider<Data>(data: Data, extra: Partial<ProviderDefinition<Data>> = {}): ProviderDefinition<Data> {
  return { configure: () => ({ deferred: false, connect: async () => data }), ...extra };
}
