import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The layers (DESIGN.md, "Architecture"): web → domain; server → db → domain; everything → policies;
// policies → domain; domain → nothing of the project. Each layer lists what it may not import. The
// patterns are regular expressions on the import string: the top-level folders are reached by
// relative paths (`../../server/x.ts`, from any depth) or by the SvelteKit aliases (`$domain`, `$lib`, …).
const up = (folders) => `^(\\.\\./)+(${folders})(/|$)`;
const layer = (message, ...regexes) => [
  'error',
  { patterns: regexes.map((regex) => ({ regex, message, caseSensitive: true })) },
];
const layers = [
  {
    files: ['domain/**'],
    rules: {
      'no-restricted-imports': layer(
        'domain/ is the bottom layer: it imports only zod, node builtins and its own files.',
        up('server|db|web|policies|test|bench|scripts'),
        // Any package but zod, and any alias ($lib, $schemas, $policies, …).
        '^(?!zod(/|$)|node:|\\.)',
      ),
    },
  },
  {
    files: ['policies/**'],
    rules: {
      'no-restricted-imports': layer(
        'policies/ is pure: it imports only @casl/ability and domain/.',
        up('server|db|web|test|bench|scripts'),
        '^(?!@casl/ability(/|$)|\\.|\\$domain(/|$))',
      ),
    },
  },
  {
    files: ['db/**'],
    rules: {
      'no-restricted-imports': layer(
        'db/ sits below the server and the web app: it imports neither (shared words are in domain/).',
        up('server|web'),
        '^\\$(schemas|lib|app)(/|$)',
      ),
    },
  },
  {
    files: ['server/**'],
    rules: {
      'no-restricted-imports': layer('server/ does not import the web app.', up('web'), '^\\$(lib|app)(/|$)'),
    },
  },
  {
    files: ['web/**'],
    rules: {
      'no-restricted-imports': layer(
        "web/ calls /api only: it imports domain/ (with the API's schemas) and policies/, not db/ or the server.",
        up('db|server'),
      ),
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'data/',
      'web/build/',
      '.svelte-kit/',
      'web/.svelte-kit/',
      'db/migrations/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['web/**', '*.config.ts', '*.config.js'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  ...layers,
);
