// ESLint flat config for the whole workspace: typescript-eslint's recommended rules (not the
// type-aware set: it would build every package's TypeScript program on each run, on 2 cores),
// with the style rules that Prettier owns turned off by eslint-config-prettier (last).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    // Generated output, build output, installs and local state.
    ignores: ['**/node_modules/', '**/dist/', '**/.sym-data/', '**/.terraform/', '**/.tmp/', 'schemas/generated/', 'control-plane/src/generated/', 'examples/cdktf/.gen/', 'examples/cdktf/cdktf.out/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `let x; const f = () => x; x = ...` binds a value its closures read later; const would put
      // those reads in the temporal dead zone.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // House pattern: a leading underscore marks a name left unused on purpose (a parameter an
      // interface requires, a field dropped from an object by destructuring it out).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read decoded JSON and protobuf bodies by deep paths; their assertions check the shape.
    files: ['**/*.test.ts', '**/*.e2e.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Declarations for hook authors' plain JavaScript: JSON they read freely, as lib.dom's `Response.json()`.
    files: ['control-plane/src/sandbox/sdk/*.d.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // SDKs that weigh on every process but serve only some installations are loaded with
    // `await import()` where first used (Okta alone adds 26 MB to the heap, which every major GC
    // marks, and 0.7 s to start); their types may still be imported.
    files: ['control-plane/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['@okta/okta-sdk-nodejs', '@googleapis/admin', '@slack/socket-mode'].map((name) => ({
            name,
            allowTypeImports: true,
            message: 'Load it with `await import()` where it is first used (see control-plane/src/features/strategies/README.md, "SDKs loaded on first use").',
          })),
        },
      ],
    },
  },
  {
    // The launcher runs as CommonJS or as an ES module and uses require() when it exists (see its comment).
    files: ['provider/src/launcher.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Example hooks (and the e2e fixtures written like them) spell out the parameters the sandbox passes, as Sym's docs do, used or not.
    files: ['examples/**/*.js', 'test/e2e/fixtures/**/*.js'],
    rules: { '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }] },
  },
  {
    // The guest SDK's base classes name the parameters subclasses receive, as sym-sdk.d.ts does.
    files: ['control-plane/src/sandbox/sdk/guest/**/*.js'],
    rules: { '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }] },
  },
  {
    // Globals of the guest's QuickJS context can only be declared with `declare var`.
    files: ['control-plane/src/sandbox/sdk/guest/*.d.ts'],
    rules: { 'no-var': 'off' },
  },
  prettier,
);
