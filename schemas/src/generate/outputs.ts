/** Every generated file, as repo-relative path and content, computed in memory. */
import { dataSources } from '../data-sources';
import { providerExample, providerSpec } from '../provider';
import { entityResources, resources } from '../registry';
import { dataSourceDoc, docName, providerDoc, resourceDoc } from './docs';
import { openApiDocument } from './openapi';
import { providersSchemaJson } from './providers-schema-json';
import { wireSchemas } from './wire-schema';

/** One output file; `path` is relative to the repository root. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** Version written into the OpenAPI document's `info.version`. */
export const apiVersion = '0.1.0';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** All generated files, in a stable order. Pure: reads nothing from disk. */
export function generatedFiles(): GeneratedFile[] {
  const wire = wireSchemas({ provider: providerSpec, resources, dataSources });
  return [
    { path: 'schemas/generated/provider-schema.json', content: json(wire) },
    { path: 'schemas/generated/providers-schema.json', content: json(providersSchemaJson(wire)) },
    { path: 'schemas/generated/openapi.json', content: json(openApiDocument(entityResources(), apiVersion)) },
    { path: 'docs/index.md', content: providerDoc(providerSpec, providerExample, resources, dataSources) },
    ...resources.map((r) => ({ path: `docs/resources/${docName(r.typeName)}.md`, content: resourceDoc(r) })),
    ...dataSources.map((d) => ({ path: `docs/data-sources/${docName(d.typeName)}.md`, content: dataSourceDoc(d) })),
  ];
}
