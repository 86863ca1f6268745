import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ENGINE_DOOR = {
  regex: '(^|/)engine/(?!index\\.js$).+',
  message: 'Import the engine through engine/index.js; its internals are not a public surface.',
};

/** no-restricted-imports with the engine's door and, for some folders, more. */
const restrictImports = (...more) => ({ 'no-restricted-imports': ['error', { patterns: [ENGINE_DOOR, ...more] }] });

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'bench/out/', '.scratch/', 'prisma/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine's public surface is engine/index.ts; only the engine itself and its unit tests
    // (which test internals by design) may reach past it.
    files: ['**/*.ts'],
    ignores: ['engine/**', 'test/engine/**'],
    rules: restrictImports(),
  },
  {
    // api/ and cli/ use store/ as the worker does; only the CLI commands that start the worker
    // import it, through its one entry.
    files: ['api/**/*.ts', 'cli/**/*.ts'],
    ignores: ['cli/commands/worker.ts', 'cli/commands/demo.ts', 'cli/commands/serve.ts', 'cli/embedded-stack.ts'],
    rules: restrictImports({
      regex: '(^|/)worker/',
      message: 'api/ and cli/ reach the database and the queue through store/, not worker/.',
    }),
  },
  {
    files: ['cli/commands/worker.ts', 'cli/commands/demo.ts', 'cli/commands/serve.ts', 'cli/embedded-stack.ts'],
    rules: restrictImports({
      regex: '(^|/)worker/(?!index\\.js$).+',
      message: 'Start the worker through worker/index.js.',
    }),
  },
);
