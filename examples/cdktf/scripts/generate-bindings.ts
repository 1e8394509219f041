/** CLI: regenerates `.gen/` from the schema document (argv[2], else `schemaPath` from src/paths). */
import { rm } from 'node:fs/promises';
import { generateBindings } from '../src/generate-bindings';
import { bindingsDir, schemaPath as defaultSchemaPath } from '../src/paths';

const schemaPath = process.argv[2] ?? defaultSchemaPath;
// Start clean so that bindings for removed resources do not linger.
await rm(bindingsDir, { recursive: true, force: true });
await generateBindings(schemaPath, bindingsDir);
process.stderr.write(`generated bindings from ${schemaPath} into ${bindingsDir}\n`);
