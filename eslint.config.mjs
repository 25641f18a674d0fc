// ESLint flat config: typescript-eslint's type-aware rules over src/, test/, bench/ and scripts/, and the
// boundaries between the folders of src/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'media/**', 'node_modules/**', '.vscode-test/**', '.e2e/**', 'bench/results/**', 'test/reference/snippets/**', 'test/reference/nn/**', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs', 'test/snippet/fixtures/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  // Folder boundaries (see ARCHITECTURE.md): what each folder of src/ may import, as a pattern that every
  // import outside the folder's own files must not match. Only src/extension/ may import `vscode`.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/extension/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension/ talks to VS Code.' }] }] },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
      { regex: '^(?!\\./)', message: 'src/engine/ is pure TypeScript: it imports nothing outside itself.' },
    ] }] },
  },
  {
    files: ['src/graph/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
      { regex: '^(?!\\./|\\.\\./engine/)', message: 'src/graph/ imports only itself and src/engine/.' },
    ] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
      { regex: '^(?!\\./|\\.\\./graph/)', message: 'src/shared/ imports only itself and the graph model\'s types.' },
      { regex: '^\\.\\./graph/', allowTypeImports: true, message: 'src/shared/ imports only types from src/graph/.' },
    ] }] },
  },
  {
    // The snippet globals are `declare var`s and empty interfaces on purpose: unlike `let` and classes, two
    // copies of them merge (a user's copy for tsc beside the plugin's).
    files: ['src/typescriptPlugin/gradient-graph-snippets.d.ts'],
    rules: { 'no-var': 'off', '@typescript-eslint/no-empty-object-type': 'off' },
  },
  {
    // The TypeScript server plugin runs inside tsserver, which hands it TypeScript: it imports only its types.
    files: ['src/typescriptPlugin/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
      { regex: '^(?!\\./|\\.\\./shared/settings\\.ts$|node:path$|typescript$)', message: 'src/typescriptPlugin/ imports only itself, src/shared/settings.ts, node:path and the types of typescript.' },
      { regex: '^typescript$', allowTypeImports: true, message: 'src/typescriptPlugin/ gets TypeScript from tsserver: it imports only its types.' },
    ] }] },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
      { regex: '^(?!\\./|\\.\\./(graph|shared)/|mermaid$|@vscode/codicons/)', message: 'src/webview/ imports only itself, src/graph/, src/shared/ and what it bundles (mermaid, codicons).' },
    ] }] },
  },
  {
    // node:test's describe and it return promises that the runner awaits itself.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
);
