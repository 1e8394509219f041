/**
 * Edits one group of a Tailscale policy file (HuJSON: JSON with comments and trailing commas)
 * in place, so that adding or removing a member leaves everything else, comments included,
 * byte for byte as the tailnet's administrators wrote it.
 */

/** A value of the document with where it starts and ends in the text (end exclusive). */
type Node =
  | { kind: 'object'; start: number; end: number; members: { key: string; value: Node }[] }
  | { kind: 'array'; start: number; end: number; items: Node[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'literal'; start: number; end: number };

/** Thrown for text that is not HuJSON. */
export class HuJsonError extends Error {}

/** Skips whitespace and comments from `i`. */
function skip(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i += 1;
    if (text.startsWith('//', i)) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol + 1;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) throw new HuJsonError(`unterminated comment at ${i}`);
      i = close + 2;
    } else {
      return i;
    }
  }
}

function parseString(text: string, i: number): Extract<Node, { kind: 'string' }> {
  let j = i + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  if (j >= text.length) throw new HuJsonError(`unterminated string at ${i}`);
  return { kind: 'string', start: i, end: j + 1, value: JSON.parse(text.slice(i, j + 1)) as string };
}

function parseValue(text: string, at: number): Node {
  const i = skip(text, at);
  const c = text[i];
  if (c === '"') return parseString(text, i);
  if (c === '{' || c === '[') {
    const close = c === '{' ? '}' : ']';
    const members: { key: string; value: Node }[] = [];
    const items: Node[] = [];
    let j = skip(text, i + 1);
    while (text[j] !== close) {
      if (c === '{') {
        if (text[j] !== '"') throw new HuJsonError(`expected a key at ${j}`);
        const key = parseString(text, j);
        j = skip(text, key.end);
        if (text[j] !== ':') throw new HuJsonError(`expected ":" at ${j}`);
        const value = parseValue(text, j + 1);
        members.push({ key: key.value, value });
        j = skip(text, value.end);
      } else {
        const item = parseValue(text, j);
        items.push(item);
        j = skip(text, item.end);
      }
      if (text[j] === ',') j = skip(text, j + 1);
      else if (text[j] !== close) throw new HuJsonError(`expected "," or "${close}" at ${j}`);
    }
    return c === '{' ? { kind: 'object', start: i, end: j + 1, members } : { kind: 'array', start: i, end: j + 1, items };
  }
  const literal = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
  if (!literal) throw new HuJsonError(`unexpected ${JSON.stringify(text.slice(i, i + 10))} at ${i}`);
  return { kind: 'literal', start: i, end: i + literal[0].length };
}

function parseDocument(text: string): Node {
  const root = parseValue(text, 0);
  if (skip(text, root.end) !== text.length) throw new HuJsonError('text after the document');
  return root;
}

/** The policy as plain JSON (comments and trailing commas dropped), for reading. */
export function huJsonToJson(text: string): unknown {
  const write = (node: Node): string => {
    if (node.kind === 'object') return `{${node.members.map((m) => `${JSON.stringify(m.key)}:${write(m.value)}`).join(',')}}`;
    if (node.kind === 'array') return `[${node.items.map(write).join(',')}]`;
    return text.slice(node.start, node.end);
  };
  return JSON.parse(write(parseDocument(text)));
}

/** The members array of `group` (`group:eng`) in the policy's `groups`, or undefined. */
function groupArray(text: string, group: string): Extract<Node, { kind: 'array' }> | undefined {
  const root = parseDocument(text);
  if (root.kind !== 'object') throw new HuJsonError('the policy file is not an object');
  const groups = root.members.find((m) => m.key === 'groups')?.value;
  if (!groups || groups.kind !== 'object') return undefined;
  const members = groups.members.find((m) => m.key === group)?.value;
  if (members && members.kind !== 'array') throw new HuJsonError(`${group} is not a list`);
  return members;
}

/** The outcome of an edit: the new text, or null when nothing had to change; undefined group: not in the policy. */
export type GroupEdit = { found: false } | { found: true; text: string | null };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Adds `member` to `group` after its last member (keeping a trailing comma where there was one). */
export function addGroupMember(text: string, group: string, member: string): GroupEdit {
  const array = groupArray(text, group);
  if (!array) return { found: false };
  if (array.items.some((item) => item.kind === 'string' && same(item.value, member))) return { found: true, text: null };
  const quoted = JSON.stringify(member);
  const last = array.items.at(-1);
  if (!last) return { found: true, text: `${text.slice(0, array.start + 1)}${quoted}${text.slice(array.start + 1)}` };
  return { found: true, text: `${text.slice(0, last.end)}, ${quoted}${text.slice(last.end)}` };
}

/** Removes every entry of `member` from `group`, with the comma that separated it. */
export function removeGroupMember(text: string, group: string, member: string): GroupEdit {
  const array = groupArray(text, group);
  if (!array) return { found: false };
  const index = array.items.findIndex((item) => item.kind === 'string' && same(item.value, member));
  if (index < 0) return { found: true, text: null };
  const item = array.items[index];
  const after = skip(text, item.end);
  let next: string;
  if (text[after] === ',') {
    // `"a", "b"` → `"b"`: the item, its comma, and the blanks up to the next item or the close.
    next = text.slice(0, item.start) + text.slice(index + 1 < array.items.length ? array.items[index + 1].start : after + 1);
  } else {
    // The last item without a trailing comma: take the comma before it instead.
    const before = index > 0 ? text.lastIndexOf(',', item.start) : -1;
    next = before > (index > 0 ? array.items[index - 1].end - 1 : -1) && before >= 0 ? text.slice(0, before) + text.slice(item.end) : text.slice(0, item.start) + text.slice(item.end);
  }
  // The same person listed twice is removed twice.
  const again = removeGroupMember(next, group, member);
  return { found: true, text: again.found && again.text !== null ? again.text : next };
}
