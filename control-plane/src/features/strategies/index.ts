// Public API of the strategies registry: how access is granted and revoked (see README.md).
export { type AccessStrategyRunner, type StrategyInvocation, type StrategyOutcome, type StrategyRegistry, StrategyError } from './access-strategy';
export { createStrategyRegistry, type StrategyRegistryDeps } from './strategy-registry';
export { createLoggingErrorReporter, type ErrorReporter, type StrategyFailureReport } from './error-reporter';
export { createIdentityCacheStore, type IdentityCacheStore } from './identity-cache-store';
export { createSecretReader, type SecretLocation, type SecretReader } from './secret-reader';
export type { EntityReader } from './integration-loader';
export type { LambdaStrategyEvent } from './lambda-payload';
export { createAwsCredentialResolver, roleSessionName, secretSourceCredentials, type AwsCredentialResolver, type AwsCallScope, type AwsPrincipal } from './aws-role-credentials';
export { awsClientConfig, type AwsCredentials, type AwsService } from './aws-client-config';
export { createAwsHookHost, type AwsHookHostDeps, type AwsHookScope } from './aws-hook-host';
