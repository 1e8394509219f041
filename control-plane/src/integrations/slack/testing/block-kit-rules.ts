/**
 * The Block Kit limits Slack enforces on messages and views, checked by the Slack double so a test
 * fails where Slack would answer `invalid_blocks`: at most 50 blocks in a message (100 in a view),
 * known block types, text lengths (section 3000, header 150, button 75, option 75, input label 2000),
 * `action_id`s unique within their block and `block_id`s unique in the message or view, both at most 255 characters, buttons' `value` at most 2000.
 * Returns the problems found (empty: valid).
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const blockTypes = new Set(['section', 'actions', 'context', 'divider', 'header', 'input', 'image', 'rich_text']);
const elementTypes = new Set([
  'button',
  'static_select',
  'multi_static_select',
  'users_select',
  'multi_users_select',
  'plain_text_input',
  'number_input',
  'checkboxes',
  'radio_buttons',
  'datepicker',
  'overflow',
  'conversations_select',
  'channels_select',
]);

function textLength(t: unknown): number {
  return isObj(t) && typeof t.text === 'string' ? t.text.length : 0;
}

function checkText(t: unknown, where: string, max: number, problems: string[], plainOnly = false): void {
  if (!isObj(t) || (t.type !== 'plain_text' && t.type !== 'mrkdwn') || typeof t.text !== 'string') {
    problems.push(`${where}: must be a text object`);
    return;
  }
  if (plainOnly && t.type !== 'plain_text') problems.push(`${where}: must be plain_text`);
  if (t.text.length === 0) problems.push(`${where}: must not be empty`);
  if (t.text.length > max) problems.push(`${where}: longer than ${max} characters`);
}

function checkElement(e: unknown, where: string, actionIds: Set<string>, problems: string[]): void {
  if (!isObj(e) || typeof e.type !== 'string' || !elementTypes.has(e.type)) {
    problems.push(`${where}: unknown element type`);
    return;
  }
  if (typeof e.action_id === 'string') {
    if (e.action_id.length > 255) problems.push(`${where}.action_id: longer than 255 characters`);
    if (actionIds.has(e.action_id)) problems.push(`${where}.action_id: "${e.action_id}" is not unique`);
    actionIds.add(e.action_id);
  }
  if (e.type === 'button') {
    checkText(e.text, `${where}.text`, 75, problems, true);
    if (typeof e.value === 'string' && e.value.length > 2000) problems.push(`${where}.value: longer than 2000 characters`);
  }
  if (e.type === 'static_select' || e.type === 'multi_static_select') {
    const options = e.options;
    if (!Array.isArray(options) || options.length === 0 || options.length > 100) problems.push(`${where}.options: 1 to 100 options`);
    else
      options.forEach((o, i) => {
        if (!isObj(o) || typeof o.value !== 'string') problems.push(`${where}.options[${i}]: needs a value`);
        else checkText(o.text, `${where}.options[${i}].text`, 75, problems, true);
      });
  }
}

/** Problems of a `blocks` array; `max` is 50 for messages, 100 for views. */
export function blockProblems(blocks: unknown, max: number): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks: must be an array'];
  if (blocks.length > max) problems.push(`blocks: more than ${max}`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const at = `blocks[${i}]`;
    // Slack: an action_id must be unique among the action_ids of its containing block.
    const actionIds = new Set<string>();
    if (!isObj(b) || typeof b.type !== 'string' || !blockTypes.has(b.type)) {
      problems.push(`${at}: unknown block type`);
      return;
    }
    if (typeof b.block_id === 'string') {
      if (b.block_id.length > 255) problems.push(`${at}.block_id: longer than 255 characters`);
      if (blockIds.has(b.block_id)) problems.push(`${at}.block_id: "${b.block_id}" is not unique`);
      blockIds.add(b.block_id);
    }
    switch (b.type) {
      case 'section':
        if (b.text === undefined && !Array.isArray(b.fields)) problems.push(`${at}: needs text or fields`);
        if (b.text !== undefined) checkText(b.text, `${at}.text`, 3000, problems);
        if (Array.isArray(b.fields)) {
          if (b.fields.length > 10) problems.push(`${at}.fields: more than 10`);
          b.fields.forEach((f, j) => checkText(f, `${at}.fields[${j}]`, 2000, problems));
        }
        if (b.accessory !== undefined) checkElement(b.accessory, `${at}.accessory`, actionIds, problems);
        break;
      case 'header':
        checkText(b.text, `${at}.text`, 150, problems, true);
        break;
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10) problems.push(`${at}.elements: 1 to 10`);
        else b.elements.forEach((e, j) => textLength(e) > 3000 && problems.push(`${at}.elements[${j}]: too long`));
        break;
      case 'actions':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25) problems.push(`${at}.elements: 1 to 25`);
        else b.elements.forEach((e, j) => checkElement(e, `${at}.elements[${j}]`, actionIds, problems));
        break;
      case 'input':
        checkText(b.label, `${at}.label`, 2000, problems, true);
        checkElement(b.element, `${at}.element`, actionIds, problems);
        break;
      default:
        break;
    }
  });
  return problems;
}

/** Problems of a modal or App Home view. */
export function viewProblems(view: unknown, kind: 'modal' | 'home'): string[] {
  if (!isObj(view)) return ['view: must be an object'];
  const problems: string[] = [];
  if (view.type !== kind) problems.push(`view.type: must be ${kind}`);
  if (kind === 'modal') {
    checkText(view.title, 'view.title', 24, problems, true);
    if (view.submit !== undefined) checkText(view.submit, 'view.submit', 24, problems, true);
    if (view.close !== undefined) checkText(view.close, 'view.close', 24, problems, true);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) problems.push('view.submit: required when the view has input blocks');
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) problems.push('view.callback_id: longer than 255 characters');
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) problems.push('view.private_metadata: longer than 3000 characters');
  problems.push(...blockProblems(view.blocks, 100).map((p) => `view.${p}`));
  return problems;
}
