/**
 * HTML templating for the console: a tagged template that escapes every interpolated value unless
 * it is already `Html` (the result of another `html` call or of `raw`). Pages are built only from
 * these, so text from the database (reasons, emails, field values) can never become markup.
 */

/** A piece of markup that is safe to insert as it is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

/** What may be interpolated: text (escaped), markup, lists of either, or nothing (null, undefined, false). */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Builds markup; interpolated values are escaped unless they are `Html`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Trusted markup written in this folder (never data). */
export function raw(text: string): Html {
  return new Html(text);
}
