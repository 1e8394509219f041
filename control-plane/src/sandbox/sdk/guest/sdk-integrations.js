// sym/sdk/integrations (types: ../sym-sdk.d.ts).
export { slack, pagerduty } from 'sym/_core';
export { aws_sso, aws_iam, aws_lambda } from 'sym/_aws';
