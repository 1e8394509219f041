/** Paths shared by the generator script, the app and the tests, resolved from this package. */
import { fileURLToPath } from 'node:url';

/** The example package's root directory. */
export const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Where generated bindings live (committed); the generator writes `providers/sym/` under it. */
export const bindingsDir = fileURLToPath(new URL('../.gen', import.meta.url));

/** The `providers schema -json` document emitted by the schemas package (or `$SYM_PROVIDERS_SCHEMA`). */
export const schemaPath = process.env.SYM_PROVIDERS_SCHEMA ?? fileURLToPath(new URL('../../../schemas/generated/providers-schema.json', import.meta.url));

/** Where `pnpm synth` writes; independent of the working directory. */
export const synthOutDir = fileURLToPath(new URL('../cdktf.out', import.meta.url));
