/**
 * A JSON parser that keeps numbers exact. State files store cty numbers as JSON numbers of any
 * precision; JSON.parse would round an id like 9007199254740993. Node 20 has no source-text
 * access in JSON.parse revivers, hence this small recursive-descent parser.
 */
import { numberFromText } from './cty-number';
import { setOwn } from './set-own';

/** Parses JSON text, numbers via numberFromText; called for RawState and DynamicValue.json. */
export function parseExactJson(text: string): unknown {
  let pos = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`invalid JSON at offset ${pos}: ${what}`);
  };
  const ws = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const value = (depth: number): unknown => {
    if (depth > 1000) fail('nested too deeply');
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[pos] === '}') {
        pos++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail('expected a string key');
        const key = string();
        ws();
        if (text[pos++] !== ':') fail('expected ":"');
        setOwn(obj, key, value(depth + 1));
        ws();
        const sep = text[pos++];
        if (sep === '}') return obj;
        if (sep !== ',') fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      pos++;
      const arr: unknown[] = [];
      ws();
      if (text[pos] === ']') {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        const sep = text[pos++];
        if (sep === ']') return arr;
        if (sep !== ',') fail('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    if (text.startsWith('true', pos)) return ((pos += 4), true);
    if (text.startsWith('false', pos)) return ((pos += 5), false);
    if (text.startsWith('null', pos)) return ((pos += 4), null);
    const m = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
    m.lastIndex = pos;
    const found = m.exec(text);
    if (!found) return fail('unexpected character');
    pos += found[0].length;
    return numberFromText(found[0]);
  };
  const string = (): string => {
    // Delegate escapes to JSON.parse on the exact string literal.
    const start = pos++;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    if (pos >= text.length) fail('unterminated string');
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const result = value(0);
  ws();
  if (pos !== text.length) fail('trailing characters');
  return result;
}
