import type { FlowDefinition, FlowField } from './flow-definition';
import { escapeHtml as h } from './html';
import { LIVE_STATUS_SCRIPT } from './live-status';

/** The request form as the page shows it. */
export interface FormModel {
  /** Where the form posts (the protected URL with the middleware's action parameter). */
  action: string;
  csrfField: string;
  csrfToken: string;
  /** Field values fixed by the app (`fields(req)`), shown read-only. */
  fixed: Record<string, string>;
  /** Values to pre-fill (a re-shown form keeps what was typed). */
  values: Record<string, string>;
  /** Error text per field name (from the API's 422 field errors). */
  fieldErrors: Record<string, string>;
  /** Errors that name no field (shown in the summary only). */
  generalErrors: string[];
  submitLabel: string;
}

/** A status message: what happened to the visitor's request. */
export interface StatusModel {
  tone: 'info' | 'success' | 'warning' | 'error';
  heading: string;
  lines: string[];
}

/** Everything one approval page shows. */
export interface PageModel {
  flow: FlowDefinition;
  status?: StatusModel;
  form?: FormModel;
  /** Reload the page after this many seconds (live status without script). */
  refreshSeconds?: number;
  /** The protected URL, for the "check now" link. */
  checkUrl: string;
  /** The event stream telling this page its state changed (with script; the meta refresh is the fallback). */
  eventsUrl?: string;
}

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { margin: 0; padding: 2rem 1rem; background: Canvas; color: CanvasText; }
  main { max-width: 36rem; margin: 0 auto; }
  h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
  .flow { color: GrayText; margin: 0 0 1.5rem; }
  .status { border-left: .3rem solid; padding: .5rem 1rem; margin: 0 0 1.5rem; }
  .info { border-color: #2563eb; } .success { border-color: #15803d; } .warning { border-color: #b45309; } .error { border-color: #b91c1c; }
  .status p { margin: .25rem 0; }
  .errors { border: .15rem solid #b91c1c; padding: .5rem 1rem; margin: 0 0 1.5rem; }
  .errors h2 { font-size: 1.1rem; margin: 0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
  dt { font-weight: 600; } dd { margin: 0; }
  .field { margin: 0 0 1rem; }
  label { display: block; font-weight: 600; }
  .hint { display: block; color: GrayText; font-size: .9rem; }
  .field-error { display: block; color: #b91c1c; font-weight: 600; }
  input[type=text], select, textarea { width: 100%; box-sizing: border-box; font: inherit; padding: .4rem; border: 1px solid GrayText; border-radius: .25rem; }
  [aria-invalid=true] { border-color: #b91c1c; border-width: 2px; }
  button { font: inherit; padding: .5rem 1.25rem; border-radius: .25rem; border: 0; background: #1d4ed8; color: white; cursor: pointer; }
  :focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
`;

const hintFor = (field: FlowField): string | undefined => {
  if (field.type === 'duration') return 'A duration such as 30m, 1h or 1d.';
  if (field.type.endsWith('_list')) return 'One value per line.';
  if (field.type === 'slack_user') return 'An email address or a Slack user ID.';
  return undefined;
};

/** One labelled control for a field, wired to its hint and error for screen readers. */
function renderField(field: FlowField, value: string, error: string | undefined, autofocus: boolean): string {
  const id = `field-${field.name}`;
  const hint = hintFor(field);
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  const common = `id="${id}" name="${h(field.name)}"${field.required ? ' required aria-required="true"' : ''}${error ? ' aria-invalid="true"' : ''}${describedBy ? ` aria-describedby="${describedBy}"` : ''}${autofocus ? ' autofocus' : ''}`;
  const label = `<label for="${id}">${h(field.label)}${field.required ? '' : ' <span class="hint">(optional)</span>'}</label>`;
  const extras = `${hint ? `<span class="hint" id="${id}-hint">${h(hint)}</span>` : ''}${error ? `<span class="field-error" id="${id}-error">${h(error)}</span>` : ''}`;
  let control: string;
  if (field.type === 'bool') {
    return `<div class="field"><input type="checkbox" value="true" ${common}${value === 'true' ? ' checked' : ''}> ${label.replace('<label', '<label style="display:inline"')}${extras}</div>`;
  } else if (field.allowedValues && field.allowedValues.length > 0) {
    const options = [
      field.required && value !== '' ? '' : `<option value=""${value === '' ? ' selected' : ''}>Choose…</option>`,
      ...field.allowedValues.map((v) => `<option${v === value ? ' selected' : ''}>${h(v)}</option>`),
    ];
    control = `<select ${common}>${options.join('')}</select>`;
  } else if (field.type.endsWith('_list')) {
    control = `<textarea rows="3" ${common}>${h(value)}</textarea>`;
  } else {
    control = `<input type="text"${field.type === 'int' ? ' inputmode="numeric"' : ''} value="${h(value)}" ${common}>`;
  }
  return `<div class="field">${label}${extras}${control}</div>`;
}

function renderForm(flow: FlowDefinition, form: FormModel): string {
  const errorNames = Object.keys(form.fieldErrors);
  const hasErrors = errorNames.length > 0 || form.generalErrors.length > 0;
  const fixedFields = flow.fields.filter((f) => f.name in form.fixed);
  const fixedExtra = Object.keys(form.fixed).filter((name) => !flow.fields.some((f) => f.name === name));
  const editable = flow.fields.filter((f) => !(f.name in form.fixed) && f.visible);
  const summary = hasErrors
    ? `<div class="errors" role="alert" aria-labelledby="error-summary-title" tabindex="-1"${errorNames.length === 0 || !editable.some((f) => f.name in form.fieldErrors) ? ' autofocus' : ''}>
  <h2 id="error-summary-title">The request could not be sent</h2>
  <ul>${[
    ...errorNames.map((name) => {
      const field = flow.fields.find((f) => f.name === name);
      const text = `${field?.label ?? name}: ${form.fieldErrors[name]}`;
      return field && editable.includes(field) ? `<li><a href="#field-${h(name)}">${h(text)}</a></li>` : `<li>${h(text)}</li>`;
    }),
    ...form.generalErrors.map((e) => `<li>${h(e)}</li>`),
  ].join('')}</ul>
</div>`
    : '';
  const focusName = editable.find((f) => f.name in form.fieldErrors)?.name ?? (hasErrors ? undefined : editable[0]?.name);
  const fixedList = [...fixedFields.map((f) => [f.label, f.name] as const), ...fixedExtra.map((n) => [n, n] as const)];
  return `${summary}
<form method="post" action="${h(form.action)}" novalidate>
  <input type="hidden" name="${h(form.csrfField)}" value="${h(form.csrfToken)}">
  ${fixedList.length ? `<dl aria-label="What you are asking for">${fixedList.map(([label, name]) => `<dt>${h(label)}</dt><dd>${h(form.fixed[name])}</dd>`).join('')}</dl>` : ''}
  ${editable.map((f) => renderField(f, form.values[f.name] ?? f.default ?? '', form.fieldErrors[f.name], f.name === focusName)).join('\n  ')}
  <button type="submit"${editable.length === 0 && !hasErrors ? ' autofocus' : ''}>${h(form.submitLabel)}</button>
</form>`;
}

/**
 * The approval page: server-rendered HTML with inline CSS, nothing loaded from elsewhere. Live
 * status: with script, one inline script listening to `eventsUrl`; without, a meta refresh in
 * `<noscript>`. The status box is a polite live region, and focus
 * goes to the first field (or the error summary) so keyboard users start where the work is.
 */
export function renderApprovalPage(model: PageModel): string {
  const { flow, status, form, refreshSeconds, eventsUrl } = model;
  const refresh = refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : '';
  const title = status ? `${status.heading} · ${flow.label}` : `Approval needed · ${flow.label}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${eventsUrl && refresh ? `<noscript>${refresh}</noscript>` : refresh}
<meta name="referrer" content="same-origin">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main${eventsUrl && refreshSeconds ? ` data-events="${h(eventsUrl)}" data-refresh="${refreshSeconds}"` : ''}>
<h1 id="page-title">${status ? h(status.heading) : 'Approval needed'}</h1>
<p class="flow">${h(flow.label)}${flow.headerText ? ` — ${h(flow.headerText)}` : ''}</p>
${
  status
    ? `<section class="status ${status.tone}" role="status" aria-live="polite" aria-labelledby="page-title">
${status.lines.map((l) => `<p>${h(l)}</p>`).join('\n')}
${refreshSeconds ? `<p>This page checks again every ${refreshSeconds === 1 ? 'second' : `${refreshSeconds} seconds`}. <a href="${h(model.checkUrl)}">Check now</a></p>` : ''}
</section>`
    : `<p>This page is held until someone approves your access. Fill in the request below.</p>`
}
${form ? renderForm(flow, form) : ''}
</main>
${eventsUrl && refreshSeconds ? `<script>${LIVE_STATUS_SCRIPT}</script>` : ''}
</body>
</html>
`;
}
