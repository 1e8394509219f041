/** Public entry of `@opensym/schemas`: the model, every spec, lookups and the generators. */
export * from './model';
export * from './implementation-rules';
export { problemCodes } from './problem-codes';
export type { ProblemCode } from './problem-codes';
export { resources, resourceByType, resourceByKind, entityResources, dataSourceAttributes } from './registry';
export { dataSources } from './data-sources';
export { providerSpec, providerExample, defaultApiUrl } from './provider';
export { validateAgainstSpec, unknownMarker, notSupportedYetMessage } from './validate-value';
export { terraformView } from './terraform-view';
export type { ValidatableSpec, ValuePathStep, ValueProblem } from './validate-value';
export { createSchemaAjv } from './ajv';
export { environmentResource } from './resources/environment';
export { integrationResource, integrationTypes, integrationTypesNotSupportedYet } from './resources/integration';
export { secretsResource, secretSourceTypes } from './resources/secrets';
export { secretResource } from './resources/secret';
export { targetResource, targetTypes, targetTypesNotSupportedYet } from './resources/target';
export { strategyResource, strategyTypes, strategyTypesNotSupportedYet } from './resources/strategy';
export {
  strategyTargetTypes,
  strategyIntegrationTypes,
  strategyIntegrationRequired,
  unsuitableTarget,
  unsuitableIntegration,
  missingIntegration,
  strategyReferenceProblems,
  type ReferencedEntity,
  type StrategyReferenceProblem,
} from './strategy-target-rules';
export { flowResource, flowParamsBlock, promptFieldBlock, requestSources } from './resources/flow';
export { runtimeResource } from './resources/runtime';
export { errorLoggerResource } from './resources/error-logger';
export { logDestinationResource, logDestinationTypes } from './resources/log-destination';
export { flowsFilterResource } from './resources/flows-filter';
export { formResource, formFieldBlock } from './resources/form';
export { strategiesResource, lambdaStrategyBlock } from './resources/strategies';
export { promptFieldTypes } from './resources/common-attributes';
export { wireSchemas, wireResourceSchema, wireDataSourceSchema, wireProviderSchema, wireAttribute, wireBlock } from './generate/wire-schema';
export type { WireSchemas, WireSchema, WireBlock, WireAttribute, WireNestedBlock } from './generate/wire-schema';
export { providersSchemaJson, providerSource } from './generate/providers-schema-json';
export { entityJsonSchema, isApiAttribute, NOT_SUPPORTED_YET } from './generate/entity-json-schema';
export type { EntitySchemaMode, JsonSchema } from './generate/entity-json-schema';
export { openApiDocument, componentSchemas, problemJsonSchema, whoamiJsonSchema } from './generate/openapi';
export type { Whoami } from './generate/openapi';
export { userCreateJsonSchema, userUpdateJsonSchema, userTokenCreateJsonSchema, botTokenCreateJsonSchema } from './generate/openapi-people';
export { resourceDoc, dataSourceDoc, providerDoc, docName } from './generate/docs';
export { generatedFiles, apiVersion } from './generate/outputs';
export type { GeneratedFile } from './generate/outputs';
export { parseHclOutline, parseHclBlockAt, literalValue } from './hcl-outline';
export type { HclBlock } from './hcl-outline';
export { checkHclBlocks, formatPath } from './hcl-check';
export type { HclProblem } from './hcl-check';
export { requestCreateJsonSchema, requestDecisionJsonSchema, requestJsonSchema, requestStates, idempotencyKeyPattern } from './generate/openapi-requests';
export type { AccessRequest, AccessRequestCreate, AccessRequestDecision, RequestState } from './generate/openapi-requests';
export { roles } from './generate/openapi-people';
export type { LogDeliveryState } from './generate/openapi-log-delivery';
export type { ImplementationCheckBody, ImplementationCheckResult } from './generate/openapi-implementation-check';
export type { Role, User, UserCreateBody, UserUpdateBody, UserTokenCreateBody, BotTokenCreateBody, Token, IssuedToken, AuditEvent } from './generate/openapi-people';
