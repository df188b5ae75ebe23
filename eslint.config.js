// ESLint 9 flat config with typescript-eslint 8, type-aware. The rule set is deliberately
// small: each rule catches a class of bug this code base can actually have, and its reason
// is written beside it. Formatting is not linted.
import tseslint from 'typescript-eslint';

// Module boundaries: a module reaches another only through its services, so that tenant
// checks, audit rows and transactions cannot be bypassed by calling its queries directly.
// Relative paths do not name the module they leave, so the rule is written per depth: from
// src/modules/<m>/ one `../` already leaves the module, from src/modules/<m>/<sub>/ two do
// (a sub-domain may use its sibling's repository), and outside src/modules any path into a
// module's repository is refused.
const REPOSITORY = '(?:[a-z-]+/)*(?:[a-z-]+-)?repository(?:\\.js)?$';
const boundary = (regex) => ({
  'no-restricted-imports': [
    'error',
    { patterns: [{ regex, message: 'Import another module through its service, never its repository.' }] },
  ],
});
const moduleBoundaries = [
  { files: ['src/modules/*/*.{ts,tsx}'], rules: boundary(`^\\.\\./${REPOSITORY}`) },
  { files: ['src/modules/*/*/*.{ts,tsx}'], rules: boundary(`^\\.\\./\\.\\./${REPOSITORY}`) },
  { files: ['src/*.{ts,tsx}', 'src/!(modules)/**/*.{ts,tsx}'], rules: boundary(`modules/${REPOSITORY}`) },
];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'data/**', '.cache/**', 'public/**', 'coverage/**', 'dist/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its error and its ordering: an audit row or a job
      // written after the transaction committed, a test that ends before its assertion.
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      // An async function where a void callback is expected (hooks, event handlers, forEach)
      // has its rejection swallowed; a promise in a condition is always truthy.
      '@typescript-eslint/no-misused-promises': 'error',
      // Awaiting something that is not a promise usually means the wrong function was called.
      '@typescript-eslint/await-thenable': 'error',
      // Type-only imports are erased at run time (isolatedModules, tsx): marking them keeps the
      // real import graph, the one that decides start-up order and cycles, visible.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Dead code misleads the next reader; a leading underscore says "unused on purpose".
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Loose equality coerces ('0' == 0); `x == null` stays allowed as the idiom for
      // "null or undefined".
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  ...moduleBoundaries,
  {
    // Tests may arrange data through any module's repository: they check behaviour from outside.
    files: ['test/**', 'bench/**', 'scripts/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
