import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkHclBlocks, formatPath } from './hcl-check';
import { literalValue, parseHclBlockAt, parseHclOutline } from './hcl-outline';

test('parses attributes, nested and labelled blocks, heredocs, comments and interpolations', () => {
  const root = parseHclOutline(`
# comment
resource "sym_form" "f" {
  field "user_id" {
    type = "string" // trailing comment
    required = true
  }
  /* block comment { */
}

resource "sym_flow" "x" {
  implementation = <<-EOT
    export function on_request() { return "}"; }
  EOT
  name = "n-\${var.suffix}"
  environment_id = sym_environment.this.id
  vars = {
    a = "b"
  }
  params {
    allowed_sources = ["slack",
      "api",
    ]
  }
}
`);
  assert.equal(root.blocks.length, 2);
  const [form, flow] = root.blocks;
  assert.deepEqual(form?.labels, ['sym_form', 'f']);
  assert.deepEqual(form?.blocks[0]?.labels, ['user_id']);
  assert.deepEqual(form?.blocks[0]?.attributes, { type: '"string" // trailing comment', required: 'true' });
  assert.deepEqual(Object.keys(flow?.attributes ?? {}), ['implementation', 'name', 'environment_id', 'vars']);
  assert.equal(flow?.blocks[0]?.type, 'params');
  assert.deepEqual(literalValue(flow?.blocks[0]?.attributes.allowed_sources ?? ''), ['slack', 'api']);
  assert.equal(flow?.line, 11);
});

test('literalValue keeps only JSON-like literals', () => {
  assert.equal(literalValue('"a"'), 'a');
  assert.equal(literalValue('true'), true);
  assert.equal(literalValue('3'), 3);
  assert.equal(literalValue('"${x}"'), undefined);
  assert.equal(literalValue('sym_x.y.id'), undefined);
  assert.equal(literalValue('file("x")'), undefined);
});

test('parseHclBlockAt reads one block out of prose', () => {
  const text = 'Some prose.\nresource "sym_runtime" "r" {\n  name = "x"\n}\nMore prose with { braces.';
  const { block, end } = parseHclBlockAt(text, text.indexOf('resource'));
  assert.deepEqual(block.attributes, { name: '"x"' });
  assert.equal(text.slice(end, end + 5), '\nMore');
});

test('malformed input fails with a line number', () => {
  assert.throws(() => parseHclOutline('resource "a" "b" {\n  x = "unterminated\n}'), /line 2/);
  assert.throws(() => parseHclOutline('resource "a" "b" {\n'), /missing }/);
});

test('checkHclBlocks reports unknown, read-only, missing and invalid arguments', () => {
  const root = parseHclOutline(`
resource "sym_flow" "bad" {
  name = "x"
  id = "nope"
  colour = "red"
  params {
    allow_revoke = false
    schedule_deescalation = false
    prompt_field {
      name = "reason"
      type = "text"
    }
  }
  params {}
}
resource "sym_form" "f" {
  field {
    type = "string"
  }
}
resource "sym_strategies" "s" {}
resource "sym_unknown" "u" {}
data "sym_runtime" "r" {}
resource "aws_s3_bucket" "ignored" { whatever = 1 }
`);
  const messages = checkHclBlocks(root.blocks).map((p) => `${p.address} ${p.message}`);
  assert.deepEqual(
    messages.sort(),
    [
      'data.sym_runtime.r name: The attribute "name" is required.',
      'sym_flow.bad colour: is not an argument of this block',
      'sym_flow.bad environment_id: The attribute "environment_id" is required.',
      'sym_flow.bad id: is read-only and cannot be set',
      'sym_flow.bad implementation: The attribute "implementation" is required.',
      'sym_flow.bad params: may appear at most once',
      'sym_flow.bad params.allow_revoke: At least one of allow_revoke and schedule_deescalation must be true, or granted access could never be taken back.',
      'sym_flow.bad params.prompt_field[0].type: Must be one of "string", "str_list", "int", "int_list", "bool", "duration", "slack_user", "slack_user_list"; got "text".',
      'sym_form.f field: takes 1 label, got 0',
      'sym_strategies.s lambda_strategy: At least 1 "lambda_strategy" block is required.',
      'unknown resource type sym_unknown'.replace(/^/, 'sym_unknown.u '),
    ].sort(),
  );
});

test('formatPath renders Terraform-style paths', () => {
  assert.equal(formatPath(['params', 'prompt_field', 0, 'type']), 'params.prompt_field[0].type');
  assert.equal(formatPath(['field', { key: 'user_id' }, 'type']), 'field["user_id"].type');
  assert.equal(formatPath([]), '(root)');
});
