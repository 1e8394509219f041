// sym/_core: the SDK and the only holder of the host bridge. Comments here are parsed on every
// fresh runtime (~0.1 ms/KB): keep them short.
/* global InternalError */
const bridge = /** @type {(op: string, args: string) => string} */ (globalThis.__sym_host);
delete globalThis.__sym_host;
// Captured before user code runs, so a guest that replaces JSON or Object methods cannot
// change how results are serialised or how host replies are read.
const parse = JSON.parse;
const stringify = JSON.stringify;
// Typed as the identity so the declared types below reach the literals.
const freeze = /** @type {<const T>(value: T) => T} */ (Object.freeze);
const isArray = Array.isArray;
const ObjectKeys = Object.keys;
const StringOf = String;
const ErrorClass = Error;
const objectToString = Object.prototype.toString;
const tagged = new WeakMap();
export { parse, stringify, freeze, ObjectKeys, StringOf, ErrorClass, objectToString };

class HostError extends Error {
  constructor(code, message) {
    super(message);
    this.name = code === 'host_denied' ? 'HostDeniedError' : code === 'timeout' ? 'HostTimeoutError' : 'HostError';
    this.code = code;
  }
}

function fail(code, message, Ctor) {
  const error = new (Ctor || Error)(message);
  tagged.set(error, code);
  return error;
}

export function callHost(op, args) {
  const reply = parse(bridge(op, stringify(args === undefined ? null : args)));
  if (reply.ok) return reply.value;
  const error = new HostError(reply.code, reply.message);
  tagged.set(error, reply.code);
  throw error;
}

/** The sandbox code of an error the SDK raised ('' for everything else). */
export function codeOf(error) {
  return (error !== null && (typeof error === 'object' || typeof error === 'function') && tagged.get(error)) || '';
}

function formatArg(value) {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return String(value.stack ? value.name + ': ' + value.message + '\n' + value.stack : value);
  try {
    const text = stringify(value);
    return text === undefined ? String(value) : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function makeLogger(level) {
  return function (...args) {
    let line = '';
    for (let i = 0; i < args.length; i++) line += (i ? ' ' : '') + formatArg(args[i]);
    bridge('log', stringify({ level, message: line.length > 8192 ? line.slice(0, 8192) + '…' : line }));
  };
}
globalThis.console = freeze({
  log: makeLogger('log'),
  info: makeLogger('info'),
  warn: makeLogger('warn'),
  error: makeLogger('error'),
  debug: makeLogger('debug'),
});

// ---- events -------------------------------------------------------------------------------
/** @type {typeof import('sym/sdk').events} */
export const events = freeze({
  approval: freeze({
    approve: () => ({ type: 'approval.approve' }),
    deny: ({ message } = {}) => ({ type: 'approval.deny', message: message === undefined ? null : String(message) }),
    ignore: ({ message } = {}) => ({ type: 'approval.ignore', message: message === undefined ? null : String(message) }),
  }),
});

export function makeEvent(data) {
  const event = data;
  const outputs = event.step_outputs || {};
  Object.defineProperty(event, 'fields', {
    get() {
      return event.payload.fields;
    },
    enumerable: false,
  });
  Object.defineProperty(event, 'get_step_output', {
    value: (step) => {
      if (step === undefined) {
        const names = ObjectKeys(outputs);
        return names.length ? outputs[names[names.length - 1]] : null;
      }
      return Object.prototype.hasOwnProperty.call(outputs, step) ? outputs[step] : null;
    },
    enumerable: false,
  });
  // Sym's get_actor(step): who did a step; escalate/deescalate were set off by the approver.
  Object.defineProperty(event, 'get_actor', {
    value: (step) => {
      const actors = (event.run && event.run.actors) || {};
      const own = (name) => Object.prototype.hasOwnProperty.call(actors, name);
      const name = String(step);
      if (own(name)) return actors[name];
      return (name === 'escalate' || name === 'deescalate') && own('approve') ? actors.approve : null;
    },
    enumerable: false,
  });
  return event;
}

// ---- integrations -------------------------------------------------------------------------
function recipientOf(user) {
  if (typeof user === 'string') return user.includes('@') ? { email: user } : { slack_id: user };
  if (user && typeof user === 'object') {
    const out = {};
    if (user.id !== undefined) out.user_id = String(user.id);
    if (user.email !== undefined) out.email = String(user.email);
    const slackId = user.identities && user.identities.slack;
    if (typeof slackId === 'string') out.slack_id = slackId;
    else if (slackId && typeof slackId === 'object' && slackId.user_id) out.slack_id = String(slackId.user_id);
    if (ObjectKeys(out).length) return out;
  }
  throw new TypeError('slack.user() needs a user, an email address or a Slack user ID');
}

/** @type {typeof import('sym/sdk').slack} */
export const slack = freeze({
  user: (user) => ({ type: 'slack.user', ...recipientOf(user) }),
  channel: (name, { allow_self = false } = {}) => {
    if (typeof name !== 'string' || !name) throw new TypeError('slack.channel() needs a channel name or ID');
    return { type: 'slack.channel', name, allow_self: Boolean(allow_self) };
  },
  fallback: (...recipients) => {
    /** @type {{ continue_on_delivery_failure?: boolean }} */
    let options = {};
    const last = /** @type {any} */ (recipients[recipients.length - 1]);
    if (last && typeof last === 'object' && !isArray(last) && last.type === undefined) {
      options = last;
      recipients.pop();
    }
    return {
      type: 'slack.fallback',
      recipients: /** @type {import('sym/sdk').SlackRecipient[]} */ (recipients.flat()),
      continue_on_delivery_failure: Boolean(options.continue_on_delivery_failure),
    };
  },
  // Sym's send_message: a channel ('#ops', 'C123'), a user (object, email, 'U123') or a recipient.
  send_message: (destination, text) => {
    if (typeof text !== 'string' || !text) throw new TypeError('slack.send_message() needs a message text');
    const to = typeof destination === 'string' && (destination.startsWith('#') || /^[CG][A-Z0-9]+$/.test(destination)) ? slack.channel(destination) : destinationOf(destination);
    return callHost('slack.send_message', { destination: to, text });
  },
});

// ---- notifications ------------------------------------------------------------------------
// Sym's Notification(destinations=[...]): where the approval request message goes. Plain JSON
// the host reads back; destinations are recipients (strings and user objects become slack.user).
function destinationOf(value) {
  if (value && typeof value === 'object' && !isArray(value) && typeof value.type === 'string' && value.type.startsWith('slack.')) return value;
  return { type: 'slack.user', ...recipientOf(value) };
}

/** @type {typeof import('sym/sdk').notifications} */
export const notifications = freeze({
  Notification: ({ destinations } = /** @type {any} */ ({})) => {
    if (destinations === undefined || destinations === null) throw new TypeError('Notification() needs destinations, e.g. [slack.channel("#access")]');
    const list = isArray(destinations) ? destinations.flat() : [destinations];
    return { type: 'notification', destinations: list.map(destinationOf) };
  },
});

function scheduleQuery(query) {
  const q = query || {};
  const out = {};
  if (q.schedule !== undefined) out.schedule = String(q.schedule);
  if (q.escalation_policy !== undefined) out.escalation_policy = String(q.escalation_policy);
  return out;
}

/** @type {typeof import('sym/sdk').pagerduty} */
export const pagerduty = freeze({
  on_call: (query) => callHost('pagerduty.on_call', scheduleQuery(query)),
  is_on_call: (user, query) => callHost('pagerduty.is_on_call', { user, query: scheduleQuery(query) }),
  // Sym's users_on_call(schedule_id=..., escalation_policy_id=...): on_call under its other name.
  users_on_call: (query) => {
    const q = query || {};
    return callHost('pagerduty.on_call', scheduleQuery({ schedule: q.schedule ?? q.schedule_id, escalation_policy: q.escalation_policy ?? q.escalation_policy_id }));
  },
});

// ---- strategies -----------------------------------------------------------------------------
function makeIntegration(data) {
  const secrets = (data.secrets || []).map((secret, index) =>
    freeze({
      ...secret,
      retrieve_value: () => callHost('secret', { index }),
    }),
  );
  const settings = { ...(data.settings || {}), secrets };
  const integration = { ...data, settings };
  delete integration.secrets;
  return integration;
}

export class AccessStrategy {
  constructor(integration) {
    this.integration = integration;
  }
  /** @returns {any} */
  fetch_remote_identity(user) {
    throw new Error(this.constructor.name + '.fetch_remote_identity is not implemented');
  }
  get_requester_identity(event) {
    const user = event.user;
    const userId = String(user.id !== undefined ? user.id : user.email);
    const integrationId = String(this.integration && this.integration.id);
    const cached = callHost('identity.get', { user_id: userId, integration_id: integrationId });
    if (cached !== null && cached !== undefined) return cached;
    const remember = (identity) => {
      callHost('identity.set', { user_id: userId, integration_id: integrationId, identity: identity === undefined ? null : identity });
      return identity;
    };
    const identity = this.fetch_remote_identity(user);
    return identity && typeof identity.then === 'function' ? identity.then(remember) : remember(identity);
  }
  escalate(target_id, event) {
    throw new Error(this.constructor.name + '.escalate is not implemented');
  }
  deescalate(target_id, event) {
    throw new Error(this.constructor.name + '.deescalate is not implemented');
  }
}

export function strategyClasses(ns) {
  const found = [];
  for (const name of ObjectKeys(ns)) {
    const value = ns[name];
    if (typeof value === 'function' && value.prototype instanceof AccessStrategy) found.push([name, value]);
  }
  return found;
}

function findStrategy(ns, className) {
  const found = strategyClasses(ns);
  if (className) {
    const hit = found.find(([name]) => name === className);
    if (!hit) throw new TypeError('the module exports no AccessStrategy subclass named ' + className);
    return hit[1];
  }
  if (found.length === 0) throw new TypeError('the module exports no class extending AccessStrategy');
  if (found.length > 1) throw new TypeError('the module exports several AccessStrategy classes: ' + found.map(([n]) => n).join(', '));
  return found[0][1];
}

// ---- invocation (called by the worker, never by user code) ---------------------------------
function serialize(value, maxChars) {
  const type = typeof value;
  if (type === 'symbol' || type === 'bigint' || type === 'function') {
    throw fail('runtime', 'the result is a ' + type + '; hooks must return JSON data', TypeError);
  }
  let text;
  try {
    text = value === undefined ? undefined : stringify(value);
  } catch (error) {
    // Resource errors (out of memory, stack overflow) keep their identity for classification.
    if (error instanceof InternalError || (error instanceof RangeError && /stack/.test(error.message))) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw fail('runtime', 'the result is not JSON-serialisable: ' + reason, TypeError);
  }
  if (text !== undefined && text.length > maxChars) {
    throw fail('result_too_large', 'the result is ' + text.length + ' characters of JSON; the limit is ' + maxChars, RangeError);
  }
  return text;
}

export async function invoke(ns, spec, maxChars) {
  let result;
  if (spec.kind === 'hook') {
    const fn = ns[spec.name];
    if (typeof fn !== 'function') throw fail('missing_export', 'the module does not export a function named ' + spec.name, TypeError);
    // Reducers with more arguments: get_identity(event, ...args), a flows filter's get_flows(...args).
    // Hooks have none: called directly, without the spread's array (every request runs one).
    const args = spec.args;
    if (args) result = await (spec.event === undefined ? fn(...args) : fn(makeEvent(spec.event), ...args));
    else result = await (spec.event === undefined ? fn() : fn(makeEvent(spec.event)));
  } else {
    const Strategy = findStrategy(ns, spec.className);
    const strategy = new Strategy(makeIntegration(spec.integration));
    if (spec.kind === 'identity') {
      result = await strategy.get_requester_identity(makeEvent(spec.event));
    } else {
      const method = strategy[spec.method];
      if (typeof method !== 'function') throw new TypeError(Strategy.name + ' has no method ' + spec.method);
      result = await method.call(strategy, spec.targetId, makeEvent(spec.event));
    }
  }
  return serialize(result, maxChars);
}

export function fromJson(text) {
  return parse(text);
}
