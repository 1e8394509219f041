// sym/sdk/integrations (types: ../sym-sdk.d.ts).
export { slack, pagerduty } from 'sym/_core';
