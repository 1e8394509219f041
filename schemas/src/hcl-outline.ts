/**
 * A small reader for the outline of HCL: which attributes and blocks a body has, with literal
 * values where they are plain JSON-like literals. It is enough to check examples and seed
 * snippets against the specs without a full HCL parser; expressions are kept as raw text.
 */

/** One HCL block: `type "label" ... { body }`. The root body has type `''`. */
export interface HclBlock {
  type: string;
  labels: string[];
  /** Attribute name → raw expression text. */
  attributes: Record<string, string>;
  blocks: HclBlock[];
  /** 1-based line of the block's first token. */
  line: number;
}

/** Parses a whole HCL file into its root body. Throws with a line number on malformed input. */
export function parseHclOutline(src: string): HclBlock {
  const r = new Reader(src, 0);
  const root: HclBlock = { type: '', labels: [], attributes: {}, blocks: [], line: 1 };
  r.body(root, false);
  return root;
}

/** Parses the one block statement starting at `index` (e.g. inside prose); returns it and where it ends. */
export function parseHclBlockAt(src: string, index: number): { block: HclBlock; end: number } {
  const r = new Reader(src, index);
  const block = r.blockStatement();
  return { block, end: r.pos };
}

class Reader {
  constructor(
    private readonly src: string,
    public pos: number,
  ) {}

  private fail(message: string): never {
    const line = this.src.slice(0, this.pos).split('\n').length;
    throw new Error(`HCL line ${line}: ${message}`);
  }

  private lineAt(pos: number): number {
    return this.src.slice(0, pos).split('\n').length;
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  /** Skips blanks and comments; newlines too when `newlines` is set. */
  private skip(newlines: boolean): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.pos++;
      else if (c === '#' || (c === '/' && this.peek(1) === '/')) {
        while (this.pos < this.src.length && this.peek() !== '\n') this.pos++;
      } else if (c === '/' && this.peek(1) === '*') {
        const end = this.src.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 2;
      } else return;
    }
  }

  private ident(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos, this.pos + 200));
    if (!m) this.fail(`expected a name, found ${JSON.stringify(this.peek())}`);
    this.pos += m[0].length;
    return m[0];
  }

  /** Reads a quoted string (with `${...}` interpolations) and returns its raw text. */
  private quoted(): string {
    const start = this.pos;
    this.pos++; // opening quote
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (c === '\\') this.pos += 2;
      else if (c === '"') {
        this.pos++;
        return this.src.slice(start, this.pos);
      } else if ((c === '$' || c === '%') && this.peek(1) === '{') {
        this.pos += 2;
        this.expression('}');
        this.pos++;
      } else if (c === '\n') this.fail('newline in string');
      else this.pos++;
    }
    this.fail('unterminated string');
  }

  private heredoc(): void {
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_]*)\r?\n/.exec(this.src.slice(this.pos, this.pos + 100));
    if (!m) this.fail('malformed heredoc');
    this.pos += m[0].length;
    const close = new RegExp(`^[ \\t]*${m[2]}[ \\t]*(\\r?\\n|$)`, 'm');
    const rest = this.src.slice(this.pos);
    const found = close.exec(rest);
    if (!found) this.fail(`heredoc ${m[2]} is not closed`);
    this.pos += found.index + found[0].length - (found[1] ? found[1].length : 0);
  }

  /**
   * Skips an expression. Stops before a newline at bracket depth 0, or before `stop` at depth 0
   * (the `}` closing an interpolation or a body).
   */
  private expression(stop: string): void {
    let depth = 0;
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (depth === 0 && (c === '\n' || c === stop)) return;
      if (c === '"') this.quoted();
      else if (c === '<' && this.peek(1) === '<' && /[-A-Za-z_]/.test(this.peek(2))) this.heredoc();
      else if (c === '#' || (c === '/' && (this.peek(1) === '/' || this.peek(1) === '*'))) this.skip(false);
      else {
        if (c === '(' || c === '[' || c === '{') depth++;
        else if (c === ')' || c === ']' || c === '}') depth--;
        if (depth < 0) this.fail(`unbalanced ${c}`);
        this.pos++;
      }
    }
  }

  body(into: HclBlock, closed: boolean): void {
    for (;;) {
      this.skip(true);
      if (this.pos >= this.src.length) {
        if (closed) this.fail('missing }');
        return;
      }
      if (this.peek() === '}') {
        if (!closed) this.fail('unexpected }');
        return;
      }
      const start = this.pos;
      const name = this.ident();
      this.skip(false);
      if (this.peek() === '=' && this.peek(1) !== '=') {
        this.pos++;
        this.skip(false);
        const exprStart = this.pos;
        this.expression('}');
        if (name in into.attributes) this.fail(`duplicate attribute ${name}`);
        into.attributes[name] = this.src.slice(exprStart, this.pos).trim();
      } else {
        this.pos = start;
        into.blocks.push(this.blockStatement());
      }
    }
  }

  blockStatement(): HclBlock {
    this.skip(true);
    const line = this.lineAt(this.pos);
    const type = this.ident();
    const labels: string[] = [];
    for (;;) {
      this.skip(false);
      const c = this.peek();
      if (c === '"') labels.push(JSON.parse(this.quoted()) as string);
      else if (c === '{') break;
      else labels.push(this.ident());
    }
    this.pos++; // {
    const block: HclBlock = { type, labels, attributes: {}, blocks: [], line };
    this.body(block, true);
    this.pos++; // }
    return block;
  }
}

/**
 * The literal value of a raw expression when it is a JSON-compatible literal (string without
 * interpolation, number, bool, null, list of those); otherwise `undefined` (an expression).
 */
export function literalValue(raw: string): unknown {
  if (/\$\{|%\{/.test(raw)) return undefined;
  const text = raw.replace(/,(\s*\])/g, '$1');
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
