// sym/sdk (types: ../sym-sdk.d.ts).
export { events, slack, pagerduty, notifications, AccessStrategy } from 'sym/_core';
export { aws_sso, aws_iam, aws_lambda } from 'sym/_aws';
export { SymException, AWSError, AWSLambdaError, AWSIAMError, AWSSSOError } from 'sym/_exceptions';
