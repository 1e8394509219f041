export { createApprovalGate, ACTION_PARAM, type ApprovalGate, type ApprovalGateOptions, type GateOutcome, type GateVisit } from './approval-gate';
export { cookieGrants, sessionGrants, grantCookieName, type GrantRecord, type GrantStore, type GrantContext, type GrantRead, type GrantRefusal } from './grant-store';
export { grantStatus, requestMatches, type GrantStatus } from './grant-status';
export { loadFlowDefinition, type FlowDefinition, type FlowField } from './flow-definition';
export { renderApprovalPage, type PageModel, type FormModel, type StatusModel } from './approval-page';
export { CSRF_COOKIE, CSRF_FIELD } from './csrf';
export { MIN_SECRET_LENGTH } from './signed-value';
