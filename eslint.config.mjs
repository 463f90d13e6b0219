import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    // The domain and the upcasters are pure: no framework, no I/O, no infrastructure.
    files: ['src/domain/**/*.ts', 'upcasters/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@nestjs/*',
                'pg',
                'knex',
                '@electric-sql/*',
                '@eventstore/*',
                'node:*',
                'fs',
                'crypto',
              ],
              message: 'domain code is pure: no framework or I/O imports',
              allowTypeImports: true,
            },
            {
              group: [
                '**/application/**',
                '**/eventstore/**',
                '**/http/**',
                '**/cli/**',
                '**/projection-runner/**',
              ],
              message: 'domain code must not depend on outer layers',
              allowTypeImports: true,
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'Date', message: 'time comes in on the command' }],
    },
  },
  {
    // Projection handlers are pure row changes: time comes from the event (occurredAt).
    files: ['projections/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'a projection takes time from the event (metadata.occurredAt)' },
      ],
    },
  },
  {
    files: ['bench/**/*.ts', 'tools/**/*.ts', 'src/cli/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
