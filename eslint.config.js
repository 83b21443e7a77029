// Lint, including the layering rules: every import in src/ follows the map in
// eslint-rules/code-layering.js (checked by the local rule `quire/code-layering`); only src/main and
// src/preload may import electron (core must run in plain Node); the renderer imports no Node
// built-ins; no source file passes 400 lines. Import cycles are checked by scripts/check-cycles.mjs.
import { builtinModules } from 'node:module';
import { codeLayering } from './eslint-rules/code-layering.js';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// No shell is ever invoked: paths come from users and file systems. exec/execSync always go
// through /bin/sh; spawn/execFile/fork are allowed, but never with `shell: true`.
const noShell = ['child_process', 'node:child_process'].map((name) => ({
  name,
  importNames: ['exec', 'execSync'],
  message: 'No shell with user data: use execFile/spawn/fork with an argument list.',
}));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'test-artifacts/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    plugins: { quire: { rules: { 'code-layering': codeLayering } } },
    rules: {
      'quire/code-layering': 'error',
      // A file past ~400 lines is doing more than one job (../shared/STYLE.md, rule 14).
      'max-lines': ['error', { max: 400 }],
    },
  },
  {
    files: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    rules: { 'max-lines': 'off' },
  },
  {
    files: ['src/core/**', 'src/worker/**', 'src/cli/**', 'src/server/**', 'src/ipc/**', 'src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src/main and src/preload may import electron: core runs in plain Node.' }, ...noShell],
          patterns: [{ group: ['electron/*'], message: 'Only src/main and src/preload may import electron.' }],
        },
      ],
    },
  },
  {
    files: ['src/main/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': ['error', { paths: noShell }] },
  },
  {
    files: ['src/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "Property[key.name='shell'][value.value=true]", message: 'No shell with user data: never spawn with shell: true.' },
        { selector: "Property[key.name='shell'][value.type='Literal'][value.value=/sh/]", message: 'No shell with user data: never spawn through a shell.' },
        {
          selector: "VariableDeclarator[id.name='require']",
          message: 'Call it nodeRequire: the bundler declares `require` in shared chunks, and a second one breaks the built CLI and workers.',
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a sandboxed page: no Node built-ins.' })),
            { name: 'electron', message: 'The renderer talks to the API contract only, never electron.' },
          ],
        },
      ],
    },
  },
  {
    // Scripts, benchmarks and the CLI's own output may print.
    files: ['bench/**', 'scripts/**', 'e2e/**', 'bin/**'],
    rules: { 'no-console': 'off' },
  },
);
