/**
 * Schemas written `as const` keep their literal types, so `FromSchema` (json-schema-to-ts) derives
 * the TypeScript type of a body from the very schema that validates it and documents it.
 */
import type { JsonSchema } from './entity-json-schema';

/** The wide `JsonSchema` view of an `as const` schema (readonly arrays and all), for the generators and ajv. */
export function asJsonSchema(schema: object): JsonSchema {
  return schema as JsonSchema;
}
