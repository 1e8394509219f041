/** Names for the generated OpenAPI component schemas the client and the CLI use most. */
import type { components } from './generated/openapi';

type Schemas = components['schemas'];
/** An access request as the API shows it. */
export type AccessRequest = Schemas['AccessRequest'];
/** The lifecycle state of an access request. */
export type AccessRequestState = AccessRequest['state'];
/** A user of the organization. */
export type User = Schemas['User'];
/** A user's role (also a token's). */
export type Role = User['role'];
/** An API token without its secret. */
export type Token = Schemas['Token'];
/** A token as issued, with its secret. */
export type IssuedToken = Schemas['IssuedToken'];
/** The answer of `GET /api/v1/whoami`. */
export type Whoami = Schemas['Whoami'];
