// sym/sdk (types: ../sym-sdk.d.ts).
export { events, slack, pagerduty, notifications, AccessStrategy } from 'sym/_core';
// Directory helpers (okta, google, github): sdk-directory.js.
export { okta, google, github } from 'sym/_directory';
export { aws_sso, aws_iam, aws_lambda } from 'sym/_aws';
export { SymException, AWSError, AWSLambdaError, AWSIAMError, AWSSSOError } from 'sym/_exceptions';
