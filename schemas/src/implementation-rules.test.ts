import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { implementationLanguage, isPythonModuleAllowed } from './implementation-rules';

describe('implementationLanguage', () => {
  it('follows the file extension first', () => {
    assert.equal(implementationLanguage('export function on_request() {}', 'impl.py'), 'python');
    assert.equal(implementationLanguage('from sym import events', 'impl.js'), 'javascript');
    assert.equal(implementationLanguage('def on_request(e):\n    pass', 'impl.mjs'), 'javascript');
  });

  it('otherwise reads the code: the first line only one language can start with decides', () => {
    assert.equal(implementationLanguage('from sym import events\n\ndef on_request(req):\n    pass\n'), 'python');
    assert.equal(implementationLanguage('# comment\n"""docstring"""\nimport requests\n'), 'python');
    assert.equal(implementationLanguage('import json, datetime as dt\n'), 'python');
    assert.equal(implementationLanguage('@hook\ndef on_request(event):\n    pass\n'), 'python');
    assert.equal(implementationLanguage('class CustomStrategy(AccessStrategy):\n    pass\n'), 'python');
    assert.equal(implementationLanguage("import { events } from 'sym/sdk';\nexport function on_request() {}\n"), 'javascript');
    assert.equal(implementationLanguage("import requests from 'sym/http';\n"), 'javascript');
    assert.equal(implementationLanguage('// def on_request(e):\nexport const x = 1;\n'), 'javascript');
    assert.equal(implementationLanguage('export class S extends AccessStrategy {}\n'), 'javascript');
    assert.equal(implementationLanguage(''), 'javascript');
  });
});

describe('isPythonModuleAllowed', () => {
  it("allows Sym's SDK paths, requests and the listed standard modules only", () => {
    for (const name of ['sym', 'sym.sdk', 'sym.sdk.integrations.slack', 'sym.events', 'requests', 'requests.exceptions', 'json', 'datetime', 're', 'collections.abc', 'urllib.parse']) {
      assert.ok(isPythonModuleAllowed(name), name);
    }
    for (const name of ['os', 'sys', 'subprocess', 'socket', 'ctypes', '_ctypes', 'cffi', 'gc', 'importlib', 'js', 'pyodide', 'sym._sdk', 'requests._internal', 'urllib', 'urllib.request', 'symx']) {
      assert.ok(!isPythonModuleAllowed(name), name);
    }
  });
});
