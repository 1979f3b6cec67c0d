import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Files and functions that fit in a head; a longer function says why on its first line:
    // `// eslint-disable-next-line max-lines-per-function -- <reason>`.
    files: ['src/**/*.ts', 'jobs/**/*.ts', 'dev/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 250 }],
      'max-lines-per-function': ['error', { max: 60 }],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    // The domain never imports Express or BullMQ: only routes and jobs do.
    files: ['src/**/*.service.ts', 'src/**/*.repo.ts', 'src/**/*.schema.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['express', 'bullmq'] }],
    },
  },
);
