// sym/_http: the HTTP client behind sym/http; evaluated only when a module imports sym/http.
import { callHost, freeze, parse, stringify, ObjectKeys, StringOf } from 'sym/_core';

// ---- sym/http ------------------------------------------------------------------------------
function makeResponse(data) {
  return freeze({
    status_code: data.status_code,
    ok: data.ok,
    headers: freeze(data.headers),
    url: data.url,
    text: data.text,
    json() {
      return parse(data.text);
    },
    raise_for_status() {
      if (!data.ok) throw new HTTPError(data.status_code + ' error for ' + data.url, data.status_code);
    },
  });
}

export class HTTPError extends Error {
  constructor(message, status_code) {
    super(message);
    this.name = 'HTTPError';
    this.status_code = status_code;
  }
}

export function request(method, url, options = {}) {
  const { headers, json, params, data } = options || {};
  const args = { method, url: StringOf(url) };
  if (headers !== undefined) {
    args.headers = {};
    for (const key of ObjectKeys(headers)) args.headers[key] = StringOf(headers[key]);
  }
  if (params !== undefined) {
    args.params = {};
    for (const key of ObjectKeys(params)) args.params[key] = StringOf(params[key]);
  }
  if (json !== undefined) args.json = json;
  if (data !== undefined) args.data = typeof data === 'string' ? data : stringify(data);
  return makeResponse(callHost('http', args));
}
