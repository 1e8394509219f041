/**
 * The TypeScript type of each operation's request body: the type `json-schema-to-ts` derives
 * from the component schema the document names for it (see `@opensym/schemas`). Entity bodies
 * are per kind and checked by the entity validator, so they stay `unknown` here.
 */
import type { AccessRequestCreate, AccessRequestDecision, BotTokenCreateBody, UserCreateBody, UserTokenCreateBody, UserUpdateBody } from '@opensym/schemas';

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
}
