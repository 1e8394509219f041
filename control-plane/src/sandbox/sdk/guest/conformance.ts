// Type-level only (never loaded into the guest): the guest modules export what sym-sdk.d.ts
// promises hook and strategy authors. A missing export or a changed signature fails `typecheck`.
import type * as Sdk from 'sym/sdk';
import type * as SdkIntegrations from 'sym/sdk/integrations';
import type * as SdkStrategies from 'sym/sdk/strategies';
import type * as Http from 'sym/http';
import * as http from './http.js';
import * as sdkIntegrations from './sdk-integrations.js';
import * as sdkStrategies from './sdk-strategies.js';
import * as sdk from './sdk.js';

/** Each guest module, typed as its declaration: assignment fails when they drift apart. */
export const conformance: [typeof Sdk, typeof SdkStrategies, typeof SdkIntegrations, typeof Http] = [sdk, sdkStrategies, sdkIntegrations, http];
