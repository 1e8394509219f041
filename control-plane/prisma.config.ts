// The Prisma CLI downloads a schema-engine binary before any command unless this is set; generate,
// validate and format never run it, and migrations go through the WASM engine (scripts/migrate-dev.ts).
// Any existing file will do (it is never executed), so point at the Node binary itself.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

import { defineConfig } from 'prisma/config';

/** Prisma CLI configuration for the control plane. */
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
