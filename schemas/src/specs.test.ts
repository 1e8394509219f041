import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dataSources } from './data-sources';
import { parseHclOutline } from './hcl-outline';
import { checkHclBlocks } from './hcl-check';
import type { AttributeSpec, BlockSpec, EntityKind, ValueType } from './model';
import { providerExample, providerSpec } from './provider';
import { resourceByKind, resourceByType, resources } from './registry';
import { validateAgainstSpec } from './validate-value';
import { terraformView } from './terraform-view';

const kinds: EntityKind[] = [
  'environments',
  'integrations',
  'secret-sources',
  'secrets',
  'access-targets',
  'access-strategies',
  'flows',
  'runtimes',
  'error-loggers',
  'log-destinations',
  'flows-filter',
  'forms',
];
const namePattern = /^[a-z0-9_]+$/;

/** Every attribute of a spec with its dotted location, blocks included. */
function walk(attributes: Record<string, AttributeSpec>, blocks: Record<string, BlockSpec> = {}, prefix = ''): [string, AttributeSpec][] {
  return [
    ...Object.entries(attributes).map(([n, a]) => [`${prefix}${n}`, a] as [string, AttributeSpec]),
    ...Object.entries(blocks).flatMap(([n, b]) => walk(b.attributes, b.blocks, `${prefix}${n}.`)),
  ];
}
function blockNames(blocks: Record<string, BlockSpec> = {}): string[] {
  return Object.entries(blocks).flatMap(([n, b]) => [n, ...blockNames(b.blocks)]);
}
const isStringCollection = (t: ValueType) => typeof t === 'object' && Object.values(t)[0] === 'string';

test('the resource list is exactly the documented surface', () => {
  assert.deepEqual(resources.map((r) => r.typeName).sort(), [
    'sym_environment',
    'sym_error_logger',
    'sym_flow',
    'sym_flows_filter',
    'sym_form',
    'sym_integration',
    'sym_log_destination',
    'sym_runtime',
    'sym_secret',
    'sym_secrets',
    'sym_strategies',
    'sym_strategy',
    'sym_target',
  ]);
  assert.deepEqual(dataSources.map((d) => d.typeName).sort(), ['sym_environment', 'sym_integration', 'sym_runtime', 'sym_secrets']);
});

test('every entity kind has exactly one non-composite resource', () => {
  for (const kind of kinds) {
    const plain = resources.filter((r) => r.kind === kind && !r.composite);
    assert.equal(plain.length, 1, kind);
    assert.equal(resourceByKind(kind), plain[0]);
  }
  assert.equal(resourceByKind('access-strategies')?.typeName, 'sym_strategy');
  assert.equal(resourceByType('sym_strategies')?.composite, 'lambda_strategy_set');
  assert.equal(resourceByType('sym_nope'), undefined);
});

for (const spec of resources) {
  test(`${spec.typeName} is internally consistent`, () => {
    assert.match(spec.typeName, /^sym_[a-z0-9_]+$/);
    assert.ok(spec.description.length > 10);
    const id = spec.attributes.id;
    assert.ok(id, 'has id');
    assert.equal(id.presence, 'computed');
    assert.equal(id.useStateForUnknown, true);
    for (const name of blockNames(spec.blocks)) assert.match(name, namePattern, `block ${name}`);
    for (const [where, attr] of walk(spec.attributes, spec.blocks)) {
      const name = where.split('.').at(-1) ?? '';
      assert.match(name, namePattern, where);
      assert.ok(attr.description.trim().length > 0, `${where} has a description`);
      if (attr.default !== undefined) {
        assert.equal(attr.presence, 'optional_computed', `${where}: defaults only on optional_computed`);
        assert.deepEqual(validateAgainstSpec({ attributes: { [name]: { ...attr, presence: 'optional' } } }, { [name]: attr.default }), [], `${where} default is valid`);
      }
      if (attr.oneOf) assert.equal(attr.type, 'string', `${where}: oneOf on strings`);
      if (attr.oneOf) assert.equal(new Set(attr.oneOf).size, attr.oneOf.length, `${where}: oneOf unique`);
      if (attr.elementOneOf) assert.ok(isStringCollection(attr.type), `${where}: elementOneOf on string collections`);
      if (attr.pattern) assert.doesNotThrow(() => new RegExp(attr.pattern as string, 'u'), where);
      if (attr.minItems !== undefined) assert.ok(typeof attr.type === 'object' && !('map' in attr.type), `${where}: minItems on lists`);
      if (attr.minLength !== undefined) assert.equal(attr.type, 'string', `${where}: minLength on strings`);
      if (attr.references) assert.ok(kinds.includes(attr.references), `${where}: references a kind`);
      if (attr.references && typeof attr.type === 'object') assert.ok(isStringCollection(attr.type), where);
      if (attr.requiresReplace) assert.equal(where, 'type', `${where}: only type forces replacement`);
      if (attr.useStateForUnknown) assert.equal(attr.presence, 'computed', where);
      if (attr.providerOnly) assert.equal(attr.presence, 'computed', `${where}: provider-only attributes are computed`);
      if (attr.sourceOrPath) {
        const hash = spec.attributes[attr.sourceOrPath.hashAttribute];
        assert.ok(hash, `${where}: hash attribute exists`);
        assert.equal(hash.presence, 'computed');
        assert.equal(hash.providerOnly, true);
      }
    }
    if (spec.attributes.type) assert.equal(spec.attributes.type.requiresReplace, true, 'type forces replacement');
    for (const [name, block] of Object.entries(spec.blocks ?? {})) {
      if (block.nesting === 'single') assert.equal(block.minItems ?? 0, 0, `${name}: single blocks are optional`);
      if (block.minItems !== undefined && block.maxItems !== undefined) assert.ok(block.minItems <= block.maxItems);
    }
    const ruleIds = new Set<string>();
    for (const rule of spec.crossFieldRules ?? []) {
      assert.ok(!ruleIds.has(rule.id), `rule ${rule.id} unique`);
      ruleIds.add(rule.id);
      const scope = rule.scope ?? [];
      assert.deepEqual(rule.path.slice(0, scope.length), scope, `${rule.id}: path starts with scope`);
      let attrs = spec.attributes;
      let blocks = spec.blocks ?? {};
      for (const step of scope) {
        const block = blocks[step];
        assert.ok(block, `${rule.id}: scope block ${step} exists`);
        attrs = block.attributes;
        blocks = block.blocks ?? {};
      }
      const check = rule.check;
      const named = !check ? [] : check.kind === 'map_keys_when' ? [check.attribute, check.map] : check.kind === 'unset_when' ? [check.attribute, check.unset] : check.attributes;
      for (const a of named) assert.ok(attrs[a], `${rule.id}: ${a} exists in scope`);
      assert.ok(attrs[String(rule.path[scope.length])], `${rule.id}: path names an attribute`);
    }
  });

  test(`${spec.typeName} identity matches its attributes and import examples`, () => {
    const { by } = spec.identity;
    if (by === 'name' || by === 'type_name') assert.equal(spec.attributes.name?.presence, 'required');
    if (by === 'type_name') assert.equal(spec.attributes.type?.presence, 'required');
    if (by === 'path') assert.equal(spec.attributes.path?.presence, 'required');
    assert.ok(spec.importExamples.length > 0);
    for (const example of spec.importExamples) {
      const typed = by === 'type_name' || (spec.identity.by === 'slug' && spec.identity.typed);
      if (typed && !/^[0-9a-f-]{36}$/.test(example)) {
        const [type] = example.split(':');
        assert.ok(spec.attributes.type?.oneOf?.includes(type ?? ''), `${example}: type is allowed`);
      }
      if (by === 'id') assert.match(example, /^[0-9a-f-]{36}$/);
      if (spec.identity.by === 'slug') for (const from of spec.identity.slugFrom) assert.ok(spec.attributes[from.split('.')[0]!], `${from} names an attribute`);
    }
  });

  test(`${spec.typeName} example is valid against the specs`, () => {
    const root = parseHclOutline(spec.example);
    assert.ok(
      root.blocks.some((b) => b.type === 'resource' && b.labels[0] === spec.typeName),
      'example declares the resource',
    );
    assert.deepEqual(checkHclBlocks(root.blocks), []);
  });
}

test('specific rules of the brief hold', () => {
  const typeResources = resources.filter((r) => r.attributes.type);
  for (const r of typeResources) assert.ok(r.attributes.type?.oneOf && r.attributes.type.oneOf.length > 0, r.typeName);
  const integrationTypes = resourceByType('sym_integration')?.attributes.type?.oneOf ?? [];
  for (const t of ['slack', 'pagerduty', 'aws_lambda', 'permission_context', 'custom']) assert.ok(integrationTypes.includes(t), t);
  const byIdentity = Object.fromEntries(resources.map((r) => [r.typeName, r.identity.by]));
  assert.equal(byIdentity.sym_secret, 'path');
  assert.equal(byIdentity.sym_flows_filter, 'singleton');
  for (const t of ['sym_integration', 'sym_strategy', 'sym_target', 'sym_secrets']) assert.equal(byIdentity[t], 'type_name', t);
  const modules = { sym_flow: 'flow', sym_strategy: 'strategy', sym_flows_filter: 'flows-filter' };
  for (const [t, module] of Object.entries(modules)) {
    const spec = resourceByType(t);
    assert.deepEqual(spec?.attributes.implementation?.sourceOrPath, { hashAttribute: 'implementation_hash', module }, t);
    assert.equal(spec?.attributes.implementation_hash?.providerOnly, true, t);
  }
  const params = resourceByType('sym_flow')?.blocks?.params;
  // The API holds one object; Terraform sees a list of at most one (terraformView).
  assert.equal(params?.nesting, 'single');
  assert.equal(params?.terraformNesting, 'list');
  assert.equal(params?.attributes.allow_revoke?.default, true);
  assert.equal(params?.attributes.schedule_deescalation?.default, true);
  assert.equal(params?.attributes.include_decision_message?.default, false);
  assert.equal(params?.attributes.allow_guest_interaction?.default, false);
  const promptField = params?.blocks?.prompt_field;
  assert.equal(promptField?.nesting, 'list');
  assert.deepEqual(Object.fromEntries(Object.entries(promptField?.attributes ?? {}).map(([n, a]) => [n, [a.presence, a.default]])), {
    name: ['required', undefined],
    type: ['required', undefined],
    label: ['optional_computed', undefined],
    required: ['optional_computed', true],
    default: ['optional_computed', undefined],
    visible: ['optional_computed', true],
    allowed_values: ['optional_computed', undefined],
    prefetch: ['optional_computed', false],
    on_change: ['optional_computed', undefined],
  });
  const field = resourceByType('sym_form')?.blocks?.field;
  assert.equal(field?.nesting, 'map');
  assert.equal(field?.attributes.required?.default, false);
  const lambda = resourceByType('sym_strategies')?.blocks?.lambda_strategy;
  assert.equal(lambda?.minItems, 1);
  assert.deepEqual(resourceByType('sym_strategies')?.attributes.strategy_ids?.type, { map: 'string' });
});

test('the provider spec and its example are valid', () => {
  assert.equal(providerSpec.attributes.token?.sensitive, true);
  for (const attr of Object.values(providerSpec.attributes)) assert.equal(attr.presence, 'optional');
  for (const v of ['SYM_API_URL', 'SYM_ORG', 'SYM_JWT', 'http://127.0.0.1:8080']) {
    assert.ok(
      Object.values(providerSpec.attributes).some((a) => a.description.includes(v)),
      v,
    );
  }
  assert.deepEqual(checkHclBlocks(parseHclOutline(providerExample).blocks), []);
});

for (const ds of dataSources) {
  test(`data source ${ds.typeName} is consistent and its example valid`, () => {
    const resource = resourceByType(ds.resource);
    assert.ok(resource);
    assert.equal(resource.kind, ds.kind);
    for (const key of ds.lookup) assert.ok(resource.attributes[key], key);
    const root = parseHclOutline(ds.example);
    assert.ok(root.blocks.some((b) => b.type === 'data' && b.labels[0] === ds.typeName));
    assert.deepEqual(checkHclBlocks(root.blocks), []);
  });
}

test('attributes Sym stores as "" / [] / {} when unset are emptyEqualsNull and optional+computed', () => {
  const expected: Record<string, string[]> = {
    sym_environment: ['label', 'runtime_id', 'error_logger_id', 'log_destination_ids', 'integrations'],
    sym_integration: ['label', 'settings'],
    sym_secrets: ['label', 'settings'],
    sym_secret: ['label', 'settings'],
    sym_target: ['label', 'settings', 'field_bindings'],
    sym_strategy: ['integration_id', 'label', 'settings', 'implementation'],
    sym_flow: ['label', 'vars'],
    sym_runtime: ['label', 'context_id'],
    sym_log_destination: ['integration_id', 'settings'],
    sym_flows_filter: ['vars', 'integrations'],
  };
  for (const [type, names] of Object.entries(expected)) {
    const spec = resourceByType(type);
    for (const name of names) {
      const attr = spec?.attributes[name];
      assert.deepEqual([attr?.emptyEqualsNull, attr?.presence], [true, 'optional_computed'], `${type}.${name}`);
    }
  }
  const params = resourceByType('sym_flow')?.blocks?.params;
  for (const name of ['strategy_id', 'additional_header_text']) assert.equal(params?.attributes[name]?.emptyEqualsNull, true, name);
  // An empty allowed_sources means "nobody may request" in Sym and here: not the same as unset.
  assert.equal(params?.attributes.allowed_sources?.emptyEqualsNull, undefined);
});

test('terraformView serves sym_flow.params as a list block of at most one, nested blocks unchanged', () => {
  const view = terraformView(resourceByType('sym_flow')!);
  const params = view.blocks?.params;
  assert.deepEqual([params?.nesting, params?.maxItems, params?.terraformNesting], ['list', 1, 'list']);
  assert.equal(params?.blocks?.prompt_field?.nesting, 'list');
  const env = resourceByType('sym_environment')!;
  assert.equal(terraformView(env), env, 'specs without such blocks are returned as they are');
});
