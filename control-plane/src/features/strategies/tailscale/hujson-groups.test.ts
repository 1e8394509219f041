// Group edits keep the rest of a HuJSON policy file (comments, trailing commas, layout) intact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addGroupMember, HuJsonError, huJsonToJson, removeGroupMember } from './hujson-groups';

const policy = `{
  // Who is who.
  "groups": {
    "group:eng": [
      "alice@example.com", // lead
      "bob@example.com",
    ],
    "group:empty": [],
    "group:one": ["carol@example.com"],
  },
  /* "groups": {"group:eng": []} in a comment is not the policy */
  "acls": [{"action": "accept", "src": ["group:eng"], "dst": ["*:*"]}],
}
`;

test('adding keeps comments and trailing commas, and is idempotent', () => {
  const added = addGroupMember(policy, 'group:eng', 'dev@example.com');
  assert.ok(added.found && added.text);
  assert.ok(added.text.includes('// lead') && added.text.includes('/* "groups"'));
  assert.deepEqual((huJsonToJson(added.text) as { groups: Record<string, string[]> }).groups['group:eng'], ['alice@example.com', 'bob@example.com', 'dev@example.com']);
  assert.deepEqual(addGroupMember(added.text, 'group:eng', 'DEV@example.com'), { found: true, text: null });
  const empty = addGroupMember(policy, 'group:empty', 'dev@example.com');
  assert.ok(empty.found && empty.text);
  assert.deepEqual((huJsonToJson(empty.text) as { groups: Record<string, string[]> }).groups['group:empty'], ['dev@example.com']);
  assert.deepEqual(addGroupMember(policy, 'group:missing', 'dev@example.com'), { found: false });
});

test('removing takes the member and its comma, in every position, and is idempotent', () => {
  const groupsOf = (text: string) => (huJsonToJson(text) as { groups: Record<string, string[]> }).groups;
  for (const [group, member, left] of [
    ['group:eng', 'alice@example.com', ['bob@example.com']],
    ['group:eng', 'bob@example.com', ['alice@example.com']],
    ['group:one', 'carol@example.com', []],
  ] as const) {
    const removed = removeGroupMember(policy, group, member);
    assert.ok(removed.found && removed.text, `${group} ${member}`);
    assert.deepEqual(groupsOf(removed.text)[group], left);
    assert.ok(removed.text.includes('/* "groups"'));
    assert.deepEqual(removeGroupMember(removed.text, group, member), { found: true, text: null });
  }
  const twice = addGroupMember(policy, 'group:one', 'dev@example.com');
  const removedLast = removeGroupMember(twice.found ? twice.text! : '', 'group:one', 'dev@example.com');
  assert.ok(removedLast.found && removedLast.text);
  assert.deepEqual(groupsOf(removedLast.text)['group:one'], ['carol@example.com']);
});

test('text that is not HuJSON is refused', () => {
  assert.throws(() => addGroupMember('{"groups": {"group:a": [}', 'group:a', 'x'), HuJsonError);
});
