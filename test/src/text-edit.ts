/** Exact, checked text edits of configuration files. */

/** Replaces the single occurrence of `from` with `to`; throws when it occurs zero or several times. */
export function replaceOnce(text: string, from: string, to: string): string {
  const first = text.indexOf(from);
  if (first < 0) throw new Error(`edit target not found: ${JSON.stringify(from)}`);
  if (text.indexOf(from, first + 1) >= 0) throw new Error(`edit target occurs more than once: ${JSON.stringify(from)}`);
  return text.slice(0, first) + to + text.slice(first + from.length);
}

/** The 1-based number of the only line containing `needle`; throws unless exactly one line does. */
export function lineOf(text: string, needle: string): number {
  const lines = text.split('\n');
  const hits = lines.flatMap((line, i) => (line.includes(needle) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`expected one line containing ${JSON.stringify(needle)}, found ${hits.length}`);
  return hits[0]!;
}

/** The 1-based numbers of every line containing `needle`. */
export function linesOf(text: string, needle: string): number[] {
  return text.split('\n').flatMap((line, i) => (line.includes(needle) ? [i + 1] : []));
}
