/** Assertions on the human-readable diagnostics Terraform and OpenTofu print on stderr. */
import assert from 'node:assert/strict';

/** One `Error:` block of CLI output, with its summary and source location when present. */
export interface CliDiagnostic {
  summary: string;
  /** `with sym_flow.this,` */
  resource?: string;
  /** `on main.tf line 12` */
  file?: string;
  line?: number;
  /** The whole block, box-drawing characters removed. */
  text: string;
}

/** Splits CLI output into its `Error:` diagnostics. */
export function parseErrors(output: string): CliDiagnostic[] {
  const lines = output.split('\n').map((l) => l.replace(/^[│╷╵]\s?/, ''));
  const blocks: string[][] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    if (line.startsWith('Error: ')) {
      current = [line];
      blocks.push(current);
    } else if (line.startsWith('Warning: ')) {
      current = undefined;
    } else if (current !== undefined) {
      current.push(line);
    }
  }
  return blocks.map((block) => {
    const text = block.join('\n');
    const location = /on (\S+) line (\d+)/.exec(text);
    const resource = /with ([\w.\-[\]"]+),/.exec(text);
    return {
      summary: block[0]!.slice('Error: '.length).trim(),
      resource: resource?.[1],
      file: location?.[1],
      line: location ? Number(location[2]) : undefined,
      text,
    };
  });
}

/**
 * Asserts that the output holds exactly one error, located at one of `lines` of `file`, whose
 * text names `attribute`; returns it.
 */
export function assertAttributeError(output: string, expected: { file: string; lines: number[]; attribute: string }): CliDiagnostic {
  const errors = parseErrors(output);
  assert.equal(errors.length, 1, `expected exactly one error, got ${errors.length}:\n${output}`);
  const error = errors[0]!;
  assert.equal(error.file, expected.file, `error should point into ${expected.file}:\n${error.text}`);
  assert.ok(
    error.line !== undefined && expected.lines.includes(error.line),
    `error should point at line ${expected.lines.join(' or ')} (the "${expected.attribute}" attribute), not ${error.line}:\n${error.text}`,
  );
  assert.match(error.text, new RegExp(`\\b${expected.attribute}\\b`), `error should name "${expected.attribute}":\n${error.text}`);
  return error;
}
