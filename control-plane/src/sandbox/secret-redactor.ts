const REDACTED = '[REDACTED]';
/** Shorter values would redact ordinary words; secrets this short are not worth protecting by text search. */
const MIN_SECRET_LENGTH = 4;

/** Collects secret values read during an invocation and strips them from text leaving the sandbox. */
export class SecretRedactor {
  private readonly values = new Set<string>();

  /** Remembers a value (and its JSON-escaped form) as secret. */
  add(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    this.values.add(value);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) this.values.add(escaped);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.values.add(encoded);
  }

  /** Returns `text` with every known secret value replaced, longest first. */
  redact(text: string): string {
    if (this.values.size === 0 || !text) return text;
    let out = text;
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(value).join(REDACTED);
    return out;
  }
}
