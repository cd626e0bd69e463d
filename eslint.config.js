// Lint runs in `npm test` before vitest: strictness is enforced, not claimed.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import layers from './eslint-rules/layers.js';

export default defineConfig(
  { ignores: ['node_modules/**', 'reports/**', 'contracts/pacts/**', 'dist*/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    plugins: { layers },
    rules: {
      'layers/import-direction': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // D1's lengths are JSON Schema lengths, counted in code points: spreading a string is the point.
      '@typescript-eslint/no-misused-spread': 'off',
    },
  },
  {
    // The launcher and this config are plain JS: lint them without type information.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
