// sym/sdk/strategies (types: ../sym-sdk.d.ts).
export { AccessStrategy } from 'sym/_core';
