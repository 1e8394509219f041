/**
 * The TypeScript type of each operation's request body: the type `json-schema-to-ts` derives
 * from the component schema the document names for it (see `@opensym/schemas`). Entity bodies
 * are per kind and checked by the entity validator, so they stay `unknown` here. The same for
 * the success answers (`OperationResponses`), so `res.json(...)` is checked against the schema's type.
 */
import type {
  AccessRequest,
  AccessRequestCreate,
  AccessRequestDecision,
  AuditEvent,
  BotTokenCreateBody,
  ImplementationCheckBody,
  ImplementationCheckResult,
  IssuedToken,
  LogDeliveryState,
  Token,
  User,
  UserCreateBody,
  UserTokenCreateBody,
  UserUpdateBody,
  Whoami,
} from '@opensym/schemas';

/** operationId → body type (`AccessRequest.create` → `AccessRequestCreate`, ...). */
export interface OperationBodies {
  'create-request': AccessRequestCreate;
  'approve-request': AccessRequestDecision;
  'deny-request': AccessRequestDecision;
  'revoke-request': AccessRequestDecision;
  'create-user': UserCreateBody;
  'update-user': UserUpdateBody;
  'create-user-token': UserTokenCreateBody;
  'create-bot-token': BotTokenCreateBody;
  'check-implementation': ImplementationCheckBody;
}

/** One page of a list (`pageSchema`): `next_page_token` is null on the last page. */
export interface PageOf<T> {
  data: T[];
  next_page_token: string | null;
}

/** operationId → the body of its success answer, as the schema it documents derives it. */
export interface OperationResponses {
  whoami: Whoami;
  'create-request': AccessRequest;
  'list-requests': PageOf<AccessRequest>;
  'get-request': AccessRequest;
  'approve-request': AccessRequest;
  'deny-request': AccessRequest;
  'revoke-request': AccessRequest;
  'create-user': User;
  'list-users': PageOf<User>;
  'get-user': User;
  'update-user': User;
  'create-user-token': IssuedToken;
  'create-bot-token': IssuedToken;
  'list-tokens': PageOf<Token>;
  'list-audit-events': PageOf<AuditEvent>;
  'get-log-destination-delivery': LogDeliveryState;
  'check-implementation': ImplementationCheckResult;
}
