import { jsonPointer, type FieldError } from '../errors/api-error';

/**
 * Deepest nesting of arrays and objects a request body may have (the top-level value is level 1).
 * Real bodies stay under 10; the limit keeps every recursive walk after it (schema validation,
 * JSON serialization, the database driver) far from the host's stack limit.
 */
export const MAX_BODY_DEPTH = 64;

/** Most field errors one answer lists; a hostile body could otherwise fill the answer with them. */
const MAX_ERRORS = 20;

const nulDetail = 'must not contain the NUL character (U+0000)';

/**
 * Field errors for a parsed JSON value: every string or key holding U+0000 (PostgreSQL text and
 * jsonb cannot store it) and the first value nested beyond `maxDepth`. Walks with an explicit
 * stack, so a body nested 100,000 levels deep cannot overflow the host's.
 */
export function jsonShapeErrors(root: unknown, maxDepth = MAX_BODY_DEPTH): FieldError[] {
  // Nearly every body is clean: a walk that builds no paths says so; errors need the walk below.
  if (isShapeClean(root, 0, maxDepth)) return [];
  const errors: FieldError[] = [];
  // Pointers are built only for reported values; the stack keeps the path as steps.
  const stack: { value: unknown; steps: (string | number)[]; badKey?: true }[] = [{ value: root, steps: [] }];
  while (stack.length > 0 && errors.length < MAX_ERRORS) {
    const { value, steps, badKey } = stack.pop()!;
    if (badKey) {
      errors.push({ pointer: jsonPointer(steps), detail: `${nulDetail} in its name` });
      continue;
    }
    if (typeof value === 'string') {
      if (value.includes('\u0000')) errors.push({ pointer: jsonPointer(steps), detail: nulDetail });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (steps.length >= maxDepth) {
      errors.push({ pointer: jsonPointer(steps), detail: `is nested deeper than ${maxDepth} levels` });
      // One depth error says enough; what lies below it is not looked at.
      return errors;
    }
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    // Pushed in reverse so errors come out in document order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      // A bad name is reported in its place; what it holds is not looked at.
      if (typeof key === 'string' && key.includes('\u0000')) stack.push({ value: undefined, steps: [...steps, key], badKey: true });
      else stack.push({ value: child, steps: [...steps, key] });
    }
  }
  return errors;
}

/**
 * Whether `value` (at nesting `depth`) holds no U+0000 in a string or key and nests no object or
 * array at `maxDepth` or deeper: the same findings as the walk above, without building a path
 * per value. Recursion is bounded by `maxDepth`.
 */
function isShapeClean(value: unknown, depth: number, maxDepth: number): boolean {
  if (typeof value === 'string') return !value.includes('\u0000');
  if (typeof value !== 'object' || value === null) return true;
  if (depth >= maxDepth) return false;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (!isShapeClean(item, depth + 1, maxDepth)) return false;
    return true;
  }
  for (const key of Object.keys(value)) {
    if (key.includes('\u0000') || !isShapeClean((value as Record<string, unknown>)[key], depth + 1, maxDepth)) return false;
  }
  return true;
}

/**
 * Field errors for the query string: a parameter whose name or value holds U+0000. The pointer is
 * `/<parameter>`, as for every other query-parameter error.
 */
export function queryTextErrors(query: Record<string, unknown>): FieldError[] {
  // Runs for every API request: no pair or array is built for a clean parameter.
  const errors: FieldError[] = [];
  for (const name of Object.keys(query)) {
    if (errors.length === MAX_ERRORS) break;
    const value = query[name];
    if (name.includes('\u0000') || (Array.isArray(value) ? value.some(holdsNul) : holdsNul(value))) {
      errors.push({ pointer: jsonPointer([name]), detail: `query parameter ${nulDetail}` });
    }
  }
  return errors;
}

const holdsNul = (value: unknown): boolean => typeof value === 'string' && value.includes('\u0000');
