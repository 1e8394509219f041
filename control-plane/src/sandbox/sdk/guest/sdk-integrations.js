// sym/sdk/integrations (types: ../sym-sdk.d.ts).
export { slack, pagerduty } from 'sym/_core';
// Directory helpers (okta, google, github): sdk-directory.js.
export { okta, google, github } from 'sym/_directory';
export { aws_sso, aws_iam, aws_lambda } from 'sym/_aws';
