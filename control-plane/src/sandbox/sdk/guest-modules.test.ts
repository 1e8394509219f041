// The guest SDK lives in guest/*.js; the loader, the build and the files must agree on names.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BRIDGE_GLOBAL, CORE_MODULE, GUEST_MODULE_FILES, GUEST_MODULES, HTTP_MODULE, loadGuestSources } from './guest-modules';

const guestDir = new URL('./guest/', import.meta.url);
const jsFiles = readdirSync(guestDir)
  .filter((file) => file.endsWith('.js'))
  .sort();

describe('guest SDK modules', () => {
  it('serves every guest/*.js file under exactly one module name (the build inlines all of them)', () => {
    assert.deepEqual(Object.values(GUEST_MODULE_FILES).sort(), jsFiles);
    assert.deepEqual(Object.keys(GUEST_MODULES).sort(), Object.keys(GUEST_MODULE_FILES).sort());
  });

  it('loads each module from its file', () => {
    const sources = loadGuestSources();
    for (const [name, file] of Object.entries(GUEST_MODULE_FILES)) {
      assert.equal(sources[name], readFileSync(new URL(file, guestDir), 'utf8'), name);
    }
  });

  it('names the bridge global and internal modules as the worker does', () => {
    const core = GUEST_MODULES[CORE_MODULE]!;
    assert.match(core, new RegExp(`globalThis\\.${BRIDGE_GLOBAL};`));
    assert.match(core, new RegExp(`delete globalThis\\.${BRIDGE_GLOBAL};`));
    assert.match(GUEST_MODULES['sym/http']!, new RegExp(`from '${HTTP_MODULE}'`));
  });

  it('imports only SDK modules the loader serves (plain ES modules, no require)', () => {
    for (const [name, source] of Object.entries(GUEST_MODULES)) {
      for (const [, specifier] of source.matchAll(/\bfrom '([^']+)'/g)) {
        assert.ok(Object.hasOwn(GUEST_MODULE_FILES, specifier!), `${name} imports ${specifier}`);
      }
      assert.doesNotMatch(source, /\brequire\(/, name);
    }
  });
});
