// sym/sdk (types: ../sym-sdk.d.ts).
export { events, slack, pagerduty, notifications, AccessStrategy } from 'sym/_core';
