/**
 * Turns a `providers schema -json` document into CDKTF TypeScript bindings, without a
 * Terraform binary. Kept to one small function so that the generator package can be swapped
 * (e.g. for `@cdktn/provider-generator`) without touching callers; see docs/adr/0002.
 */
import { readFile } from 'node:fs/promises';
import { CodeMaker } from 'codemaker';

/** Writes bindings for every provider in the schema file to `<outDir>/providers/<name>/`. */
export async function generateBindings(schemaPath: string, outDir: string): Promise<void> {
  const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
  // @cdktf/commons runs `$TERRAFORM_BINARY_NAME version -json` when it is loaded and reports
  // usage to HashiCorp's checkpoint service; both are telemetry, so turn them into no-ops and
  // generation needs neither a Terraform binary nor the network.
  process.env.TERRAFORM_BINARY_NAME ??= 'true';
  process.env.CHECKPOINT_DISABLE ??= '1';
  // Deep import: the package entry resolves `jsii` at load time, which fails under pnpm.
  const { TerraformProviderGenerator } = await import('@cdktf/provider-generator/lib/get/generator/provider-generator.js');
  const generator = new TerraformProviderGenerator(new CodeMaker(), schema);
  // Without a version constraint the generated provider class still records the full source
  // address, so synthesized `required_providers` points at opensym.dev/opensym/sym.
  generator.generateAll();
  await generator.save(outDir);
}
