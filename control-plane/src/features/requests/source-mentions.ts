/**
 * Whether a flow's source names a word (a hook, `environment`): a name the source never writes
 * cannot be exported or read, so the caller skips the work. Asked several times per request.
 */

/** Compiled patterns by word: building a RegExp costs more than the test itself. */
const wordPatterns = new Map<string, RegExp>();
/** Words come from the code (hook and field names); the cap only guards against a caller that varies them. */
const MAX_PATTERNS = 100;

/** Whether `word` occurs in `source` as a whole word (`\b` on both sides). */
export function mentions(source: string, word: string): boolean {
  let pattern = wordPatterns.get(word);
  if (!pattern) {
    if (wordPatterns.size >= MAX_PATTERNS) wordPatterns.clear();
    pattern = new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
    wordPatterns.set(word, pattern);
  }
  return pattern.test(source);
}
