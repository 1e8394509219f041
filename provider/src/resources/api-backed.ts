/**
 * The configure step of every resource and data source here: the framework hands over the
 * provider data (the checked control-plane client, terraform-plugin-framework's ProviderData)
 * before each call that needs it; the resource keeps it for its calls.
 */
import type { EntityApi } from '../client/api-client';

/** Base of the resources and data sources that talk to the control plane. */
export abstract class ApiBacked {
  #api: EntityApi | undefined;

  /** Receives the provider data: the client the sym provider connected and checked. */
  configure(api: EntityApi): void {
    this.#api = api;
  }

  /** The configured client; a call before configure is a bug in the framework wiring. */
  protected get api(): EntityApi {
    if (!this.#api) throw new Error(`${this.constructor.name} used before the provider configured it`);
    return this.#api;
  }
}
