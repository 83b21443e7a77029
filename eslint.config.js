// Lint, including the layering rules: only src/main and src/preload may import electron
// (core must run in plain Node), and the renderer imports no Node built-ins.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

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
    files: ['src/core/**', 'src/worker/**', 'src/cli/**', 'src/server/**', 'src/ipc/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src/main and src/preload may import electron: core runs in plain Node.' }],
          patterns: [{ group: ['electron/*'], message: 'Only src/main and src/preload may import electron.' }],
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
