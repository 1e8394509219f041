/**
 * Removes secret values from text that leaves a strategy (error messages, details, log lines).
 * The sandbox already redacts what the guest read; this covers host-side errors too (AWS SDK
 * messages, secret-source failures) and credentials the process itself holds.
 */
const REDACTED = '[REDACTED]';
/** Below this a "secret" would redact ordinary words. */
const MIN_LENGTH = 4;
/** Messages are stored and shown; a megabyte of function output helps nobody. */
const MAX_MESSAGE = 2000;

/** Shapes that are secret whatever their source: AWS access key ids and bearer credentials. */
const PATTERNS: [RegExp, string][] = [
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
];

/** Collects values to hide during one invocation and scrubs text with them. */
export class SecretScrubber {
  readonly #values = new Set<string>();

  /** Remembers a secret value, with its JSON-escaped and URL-encoded forms. */
  add(value: string | undefined): void {
    if (!value || value.length < MIN_LENGTH) return;
    for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) this.#values.add(form);
  }

  /** `text` with every known value and credential-shaped string replaced, cut to a sane length. */
  scrub(text: string): string {
    let out = text;
    for (const value of [...this.#values].sort((a, b) => b.length - a.length)) out = out.split(value).join(REDACTED);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}… (truncated)` : out;
  }
}

/** A scrubber that already knows the AWS credentials of this process (they must never show up in errors). */
export function processScrubber(env: Readonly<Record<string, string | undefined>>): SecretScrubber {
  const scrubber = new SecretScrubber();
  scrubber.add(env.AWS_SECRET_ACCESS_KEY);
  scrubber.add(env.AWS_SESSION_TOKEN);
  return scrubber;
}
