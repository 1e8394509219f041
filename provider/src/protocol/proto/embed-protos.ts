/**
 * Compiles our `.proto` files into one protobufjs JSON descriptor (`protocol-descriptor.json`),
 * which the bundle embeds. Parsing .proto text and building proto-loader's reflection data cost
 * ~50 ms at every provider start; loading the JSON costs a few. Run after editing a `.proto`:
 * `node --import tsx provider/src/protocol/proto/embed-protos.ts`. A test fails on any drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** The proto files the descriptor is compiled from, in this order. */
export const EMBEDDED_PROTOS = ['tfplugin6.proto', 'plugin.proto', 'health.proto'] as const;

/** The generated descriptor's file name, next to this script. */
export const DESCRIPTOR_FILE = 'protocol-descriptor.json';

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/**
 * Renders the descriptor text from the `.proto` files; used by this script and the drift test.
 * keepCase: handlers and messages use the proto field names (type_name, Error).
 */
export function renderDescriptor(read: (protoFile: string) => string = (f) => readFileSync(here(f), 'utf8')): string {
  const root = new protobuf.Root();
  for (const file of EMBEDDED_PROTOS) protobuf.parse(read(file), root, { keepCase: true });
  return `${JSON.stringify(root.toJSON(), null, 1)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(here(DESCRIPTOR_FILE), renderDescriptor());
}
