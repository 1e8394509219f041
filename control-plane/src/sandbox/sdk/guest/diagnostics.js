// sym/_diagnostics: plan-time inspection and error description; the worker evaluates it only on
// those paths (parsing costs ~0.1 ms/KB).
import { AccessStrategy, ErrorClass, ObjectKeys, StringOf, codeOf, objectToString, strategyClasses, stringify } from 'sym/_core';
import { SymException } from 'sym/_exceptions';

/** Plan-time checks on an evaluated module: names only, no user functions are called. */
export function inspect(ns, kind, hookNames) {
  const problems = [];
  const names = ObjectKeys(ns);
  if (kind !== 'strategy') {
    const what = kind === 'flows-filter' ? 'a flows filter' : 'a flow implementation';
    for (const name of names) {
      let known = false;
      for (let i = 0; i < hookNames.length; i++) if (hookNames[i] === name) known = true;
      if (!known) {
        problems[problems.length] = { name, message: 'unknown hook "' + name + '": ' + what + ' may export only ' + hookNames.join(', ') };
      } else if (typeof ns[name] !== 'function') {
        problems[problems.length] = { name, message: 'hook "' + name + '" must be a function' };
      }
    }
  } else {
    const found = strategyClasses(ns);
    if (found.length === 0)
      problems[problems.length] = { name: null, message: 'a strategy implementation must export a class extending AccessStrategy (import { AccessStrategy } from "sym/sdk/strategies")' };
    for (const [name, Strategy] of found) {
      for (const method of ['escalate', 'deescalate']) {
        if (Strategy.prototype[method] === AccessStrategy.prototype[method]) {
          problems[problems.length] = { name, message: 'strategy class ' + name + ' must implement ' + method + '(target_id, event)' };
        }
      }
    }
  }
  return stringify(problems);
}

/** Name, message and stack of anything thrown, read defensively (getters may throw). */
export function describe(error) {
  const read = (fn, fallback) => {
    try {
      const v = fn();
      return v === undefined || v === null ? fallback : StringOf(v);
    } catch {
      return fallback;
    }
  };
  if (error !== null && typeof error === 'object' && error instanceof ErrorClass) {
    return stringify({
      isError: true,
      name: read(() => error.name, 'Error'),
      message: read(() => error.message, ''),
      stack: read(() => error.stack, ''),
      fileName: read(() => error.fileName, ''),
      lineNumber: read(() => error.lineNumber, ''),
      // A SymException is the hook's own message for the requester.
      code: codeOf(error) || (error instanceof SymException ? 'hook_exception' : ''),
    });
  }
  let text;
  if (typeof error === 'string') text = stringify(error);
  else if (error === null || typeof error !== 'object') text = read(() => StringOf(error), typeof error);
  else text = read(() => stringify(error), '') || objectToString.call(error);
  return stringify({ isError: false, name: typeof error, message: text.length > 500 ? text.slice(0, 500) + '…' : text, stack: '', code: '' });
}
