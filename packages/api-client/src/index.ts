export { createSymClient, unwrap, type SymClient, type SymClientOptions, type IdempotentOptions } from './sym-client';
export { SymApiError, toSymApiError, type Problem, type FieldError } from './sym-api-error';
export { allPages, collect, type Page } from './paging';
export type { components, operations, paths } from './generated/openapi';
export type * from './schema-types';
