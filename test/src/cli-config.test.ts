import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliConfigText } from './cli-config';

test('the CLI config mirrors opensym.dev and excludes it from direct installs', () => {
  const text = cliConfigText('/m/dist/terraform-mirror');
  assert.match(text, /filesystem_mirror \{\n {4}path {4}= "\/m\/dist\/terraform-mirror"\n {4}include = \["opensym.dev\/\*\/\*"\]/);
  assert.match(text, /direct \{\n {4}exclude = \["opensym.dev\/\*\/\*"\]/);
});
