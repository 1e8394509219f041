/** An Ajv instance configured for the generated entity JSON Schemas. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under ESM its default export may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * A fresh Ajv 2020 instance that compiles `entityJsonSchema` output without warnings: union
 * types allowed (nullable attributes are `["string", "null"]`), formats known, every error
 * reported (one field error per problem). Pass `useDefaults: true` to fill absent attributes
 * with their defaults in place, or `'empty'` to also replace `null` (Terraform's "unset").
 */
export function createSchemaAjv(options: { useDefaults?: boolean | 'empty' } = {}): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true, useDefaults: options.useDefaults ?? false });
  addFormats(ajv);
  return ajv;
}
