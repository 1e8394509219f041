import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliConfig, randomIdsConfig, symTargetsConfig } from './plan-configs';

test('sym config declares the provider source, an empty provider block and counted unique names', () => {
  const hcl = symTargetsConfig(300, 'bench-x');
  assert.match(hcl, /source = "opensym\.dev\/opensym\/sym"/);
  assert.match(hcl, /provider "sym" \{\}/);
  assert.match(hcl, /count = 300/);
  assert.match(hcl, /name {2}= "bench-x-\$\{count\.index\}"/);
});

test('random config pins the version installed in the mirror', () => {
  const hcl = randomIdsConfig(300, '3.9.0');
  assert.match(hcl, /source = "hashicorp\/random", version = "3\.9\.0"/);
  assert.match(hcl, /count {7}= 300/);
});

test('CLI config uses only the two local mirrors, with quoted absolute paths', () => {
  const hcl = cliConfig('/repo/dist/terraform-mirror', '/tmp/w/random-mirror');
  assert.match(hcl, /path {4}= "\/repo\/dist\/terraform-mirror"\n {4}include = \["opensym\.dev\/\*\/\*"\]/);
  assert.match(hcl, /include = \["registry\.opentofu\.org\/hashicorp\/random"\]/);
  assert.doesNotMatch(hcl, /direct/);
});
