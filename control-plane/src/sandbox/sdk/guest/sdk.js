// sym/sdk (types: ../sym-sdk.d.ts).
export { events, slack, pagerduty, notifications, AccessStrategy } from 'sym/_core';
// Directory helpers (okta, google, github): sdk-directory.js.
export { okta, google, github } from 'sym/_directory';
